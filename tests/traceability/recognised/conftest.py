"""The full recognition chain of tests/certificates (real services), reused here: its `chain`
and `people` fixtures replace this package's parent ones of the same name."""

from tests.certificates.conftest import (  # noqa: F401  (pytest fixtures are found by name)
    chain,
    client_for,
    decide,
    media_in_tmp,
    people,
)
