"""Helpers the tests share: servers started for real, ports, PostgreSQL databases, S3, the browser, cards."""
