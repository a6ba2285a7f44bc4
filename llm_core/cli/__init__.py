"""The commands. Each module holds one command and its main(); only this package imports click."""
