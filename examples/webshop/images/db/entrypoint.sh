#!/bin/sh
# First start: create the data folder and set the root password from
# MARIADB_ROOT_PASSWORD; then run the server.
set -eu
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  mariadbd --user=mysql --skip-networking --socket=/run/mysqld/init.sock &
  pid=$!
  for _ in $(seq 1 30); do
    mariadb-admin --socket=/run/mysqld/init.sock ping --silent 2>/dev/null && break
    sleep 1
  done
  mariadb --socket=/run/mysqld/init.sock <<SQL
ALTER USER 'root'@'localhost' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD:-}';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${MARIADB_ROOT_PASSWORD:-}';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE:-shop}\`;
SQL
  kill "$pid"
  wait "$pid" || true
fi
# The client tools in `exec` checks log in as root through the socket.
printf '[client]\nuser=root\npassword=%s\n' "${MARIADB_ROOT_PASSWORD:-}" >/root/.my.cnf
chmod 0600 /root/.my.cnf
exec "$@"
