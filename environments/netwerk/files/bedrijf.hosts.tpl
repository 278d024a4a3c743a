# The company's own names (format of /etc/hosts).
${intranet}  intranet.${domain} intranet
${dns}  ns1.${domain} ns1
${router}  router.${domain} router
