# Default Vault configuration of the vault sysext: file storage, a listener on localhost without TLS
# (put TLS in front, or configure tls_cert_file/tls_key_file before listening elsewhere).
# /etc/vault.d/vault.hcl starts as a copy of this file; see
# https://developer.hashicorp.com/vault/docs/configuration.
ui = true

storage "file" {
  path = "/var/lib/vault/data"
}

listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = true
}
