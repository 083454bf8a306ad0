"""`python -m ivp.devtools.db_ping URL`: exit 0 when the PostgreSQL server at URL answers."""

import sys

import dj_database_url


def main(url: str) -> int:
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {"host": cfg["HOST"] or None, "port": cfg["PORT"] or None, "user": cfg["USER"] or None,
              "password": cfg["PASSWORD"] or None, "connect_timeout": 3}
    try:
        with psycopg.connect(dbname=cfg["NAME"], **params):
            return 0
    except psycopg.Error as exc:
        try:
            # The database itself need not exist: the tests use their own (test_<name>), which Django creates from the
            # server's maintenance database, as tried here.
            with psycopg.connect(dbname="postgres", **params):
                return 0
        except psycopg.Error:
            print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
