# dnsmasq: the DNS server of the company. It answers for ${domain} from
# /etc/bedrijf.hosts and does not forward anything to the internet.
domain=${domain}
local=/${domain}/
expand-hosts
no-resolv
no-hosts
addn-hosts=/etc/bedrijf.hosts
log-queries
