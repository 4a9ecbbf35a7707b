"""The years and dates the tool takes: wide around the movement's life (it began in 1962)
and narrow enough that a typo ("--year 20244", "9999-12-31") is caught, not stored.

A module of its own so that the command line checks ``--year`` without importing the
model (its dataclasses take a tenth of start-up to define)."""

FIRST_YEAR = 1900
LAST_YEAR = 2999
