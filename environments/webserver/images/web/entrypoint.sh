#!/bin/sh
# PHP-FPM runs in the background (reload it with: kill -USR2 $(cat /run/php/php8.2-fpm.pid));
# nginx runs in the foreground as PID 1, so the container stops when nginx stops.
set -e
php-fpm8.2 --daemonize
exec nginx -g 'daemon off;'
