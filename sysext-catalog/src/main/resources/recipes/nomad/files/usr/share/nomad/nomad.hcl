# Default Nomad configuration of the nomad sysext: one node that is both server and client.
# /etc/nomad.d/nomad.hcl starts as a copy of this file; see
# https://developer.hashicorp.com/nomad/docs/configuration.
data_dir = "/opt/nomad/data"
bind_addr = "0.0.0.0"

server {
  enabled          = true
  bootstrap_expect = 1
}

client {
  enabled = true
  servers = ["127.0.0.1"]
}
