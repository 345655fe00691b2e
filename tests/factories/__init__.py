"""The tests' shared data: factory-boy factories and builders, one module per app whose data they
build (places.py for the coordinates). Not test modules and not fixtures: the fixtures
(tests/conftest.py, tests/fixtures/, a package's conftest.py) and the tests of every package
import them from here, never from another package's test directory (tests/core/test_test_layout.py
checks it).

Factories make rows directly (`ProductFactory(producer=...)`); the builders named after a state
(`accepted_dossier`, `Chain.evaluated` ...) get there through the real services and API, as a
user would."""
