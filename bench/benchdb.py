"""The benchmarks' own PostgreSQL databases: created, checked and dropped on the local server.

Shared by bench/export.py, bench/load.py and bench/pages.py (each run as a script, so this
module is imported from the scripts' folder). Needs PostgreSQL on 127.0.0.1:5432, user
postgres with trust auth.
"""

from __future__ import annotations

SERVER = "host=127.0.0.1 port=5432 user=postgres"


def server_connection():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER} dbname=postgres")
    connection.autocommit = True
    return connection


def database_exists(name: str) -> bool:
    connection = server_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def create_database(name: str) -> None:
    """An empty database `name`, replacing one left over by an earlier run."""
    connection = server_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def drop_database(name: str) -> None:
    connection = server_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()
