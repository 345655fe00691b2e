"""Local development and `make demo`: debug on, console email, embedded SpatiaLite by default."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
