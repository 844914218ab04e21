"""The Vietnamese web pages: thin HTML shells whose scripts call the JSON API."""
