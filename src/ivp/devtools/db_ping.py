"""`python -m ivp.devtools.db_ping URL`: exit 0 when the PostgreSQL server at URL answers."""

import sys

import dj_database_url


def main(url: str) -> int:
    import psycopg

    cfg = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            dbname=cfg["NAME"],
            connect_timeout=3,
        ):
            return 0
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
