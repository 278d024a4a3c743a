#!/usr/sbin/nft -f
# Firewall of the router between the office (${kantoor}) and the
# servers (${servers}). Loading it twice is safe: the table is removed
# and created again.

table inet vandijk
delete table inet vandijk

table inet vandijk {
    chain forward {
        type filter hook forward priority filter; policy drop;

        # Replies to connections that were allowed.
        ct state established,related accept
        ct state invalid drop

        # Ping, in both directions: useful for troubleshooting.
        meta l4proto icmp accept

        # Office -> servers: the intranet's website and DNS, nothing else.
        ip saddr ${kantoor} ip daddr ${intranet} tcp dport 80 accept
        ip saddr ${kantoor} ip daddr ${dns} udp dport 53 accept
        ip saddr ${kantoor} ip daddr ${dns} tcp dport 53 accept

        # Everything else, such as servers -> office, is dropped.
        counter
    }
}
