#!/bin/sh
# A throwaway PostgreSQL cluster for the tests of the PostgreSQL store
# (issue 16): initdb and pg_ctl in a temporary directory, listening on a Unix
# socket in that directory and on a free loopback port with TLS (a
# self-signed certificate made here), as an unprivileged user (root runs the
# server as "nobody": PostgreSQL refuses to run as root).
#
#   tests/pg/cluster.sh start   prints the directory; its socket is DIR/sock,
#                               its TCP port in DIR/port (127.0.0.1), its
#                               superuser "kensa" (trust), its role "alice"
#                               logs in with a password only
#                               (scram-sha-256), the one in DIR/alice.pw;
#                               clients need PGPORT=$(cat DIR/port)
#   tests/pg/cluster.sh stop DIR   stops the server and removes DIR
#
# The tests run it with fsync off (a throwaway cluster need not survive a
# power cut); make bench sets KENSA_PG_FSYNC=on, so that PostgreSQL's
# commits wait for the disk as SQLite's (synchronous=FULL) do.
#
# Needs Debian's postgresql (make test installs it); prints one line and
# exits 1 when the server does not start.
set -u
bindir=$(pg_config --bindir 2>/dev/null)
[ -x "$bindir/initdb" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ ! -x "$bindir/initdb" ]; then
	echo "tests/pg/cluster.sh: no initdb (apt-get install postgresql)" >&2
	exit 1
fi

# as_server CMD...: runs CMD as the server's user
as_server() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

case ${1:-} in
start)
	dir=$(mktemp -d /tmp/kensa-pg.XXXXXX) || exit 1
	chmod 755 "$dir"
	mkdir "$dir/data" "$dir/sock"
	[ "$(id -u)" = 0 ] && chown nobody "$dir/data" "$dir/sock"
	# UTF-8 and a locale that knows Japanese letters (pg_trgm indexes them)
	if ! as_server "$bindir/initdb" -D "$dir/data" -U kensa --auth-local=trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
		echo "tests/pg/cluster.sh: initdb failed: $(tail -1 "$dir/initdb.log")" >&2
		rm -rf "$dir"
		exit 1
	fi
	{
		echo "local all kensa trust"
		echo "local all all scram-sha-256"
		echo "host all kensa 127.0.0.1/32 trust"
		echo "host all all 127.0.0.1/32 scram-sha-256"
	} | as_server tee "$dir/data/pg_hba.conf" >/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
		-keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1
	chmod 600 "$dir/server.key"
	[ "$(id -u)" = 0 ] && chown nobody "$dir/server.key" "$dir/server.crt"
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	echo "$port" >"$dir/port"
	if ! as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/sock/server.log" -w -t 60 \
		-o "-k $dir/sock -c listen_addresses=127.0.0.1 -p $port -c fsync=${KENSA_PG_FSYNC:-off} -c max_connections=40 -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key -c log_connections=on" \
		start >/dev/null 2>&1; then
		echo "tests/pg/cluster.sh: the server did not start: $(tail -1 "$dir/sock/server.log")" >&2
		rm -rf "$dir"
		exit 1
	fi
	pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s' "$pw" >"$dir/alice.pw"
	psql -q -h "$dir/sock" -p "$port" -U kensa -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE ROLE alice LOGIN PASSWORD '$pw' CREATEDB" >/dev/null || {
		"$0" stop "$dir"
		exit 1
	}
	echo "$dir"
	;;
stop)
	dir=${2:?usage: cluster.sh stop DIR}
	case $dir in /tmp/kensa-pg.*) ;; *) echo "not a test cluster: $dir" >&2; exit 2 ;; esac
	as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	rm -rf "$dir"
	;;
*)
	echo "usage: tests/pg/cluster.sh start | stop DIR" >&2
	exit 2
	;;
esac
