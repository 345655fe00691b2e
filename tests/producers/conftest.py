from .factories import (  # noqa: F401  (pytest fixtures are found by name)
    client_for,
    commune_officer,
    council_member,
    national,
    other_commune_officer,
    other_province_officer,
    owner,
    producer,
    province_officer,
    stranger,
)
