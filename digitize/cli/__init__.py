"""The command line: argument parsing only, each command a call of the typed functions below."""
