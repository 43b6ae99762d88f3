"""The benchmarks' own databases on the local PostgreSQL server: checked, created, dropped.

Imported by the bench scripts, which run as `python bench/<name>.py` (their folder is first on
the path).
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
    """An empty database `name`, dropping one left by an earlier run."""
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
