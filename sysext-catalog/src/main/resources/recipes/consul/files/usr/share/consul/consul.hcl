# Default Consul agent configuration of the consul sysext; /etc/consul.d/consul.hcl starts as a
# copy of this file. See https://developer.hashicorp.com/consul/docs/agent/config/config-files.
data_dir = "/opt/consul"
