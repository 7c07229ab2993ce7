"""The PostgreSQL the tests start is real, on loopback, and gives every test its own empty database."""


def test_each_test_gets_its_own_empty_database(pg_server, pg_url):
    import psycopg

    other = pg_server.create_database()
    assert other != pg_url and pg_url.startswith(f"postgresql://municms@127.0.0.1:{pg_server.port}/")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)
