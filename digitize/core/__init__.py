"""What every layer uses: settings, errors (a stable code, the reason in English and in Vietnamese), the context
(database sessions, object store, catalog, time zone, locks, clock), working days, fonts."""
