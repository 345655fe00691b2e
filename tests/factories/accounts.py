"""Users: `UserFactory` (tests/conftest.py's `make_user`, the house way to make one in a test,
builds with it), their default password, and the two casts of people by role that several
packages share: the dossier tests' and the recognition chain's."""

import factory
from factory.django import DjangoModelFactory

from apps.accounts.choices import Role

# Every test user's password unless the test gives another (the browser tests log in with it).
PASSWORD = "Mật-khẩu-thử-1"


class UserFactory(DjangoModelFactory):
    """A user of `role` (a producer unless told) with PASSWORD and the units in `units`, made by
    the manager's `create_user` as the accounts app makes them (hashed password, e-mail
    normalised)."""

    class Meta:
        model = "accounts.User"
        skip_postgeneration_save = True

    role = Role.PRODUCER
    username = factory.Sequence(lambda n: f"nguoi-dung-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.role}@example.test")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls._get_manager(model_class).create_user(*args, **kwargs)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create:
            self.units.set(extracted or ())


def dossier_people(make_user, unit) -> dict:
    """The dossier tests' people, by role (the `people` fixture of tests/dossiers and
    tests/evaluation; the recognition chain has its own, `recognition_people`)."""
    an_hoi, phu_khuong = unit("28777"), unit("28756")
    vinh_long = unit("86", "province")
    return {
        "producer": make_user(Role.PRODUCER, [an_hoi], username="producer"),
        "other_producer": make_user(Role.PRODUCER, [an_hoi], username="other_producer"),
        "commune": make_user(
            Role.COMMUNE_OFFICER, [an_hoi], username="commune", email="xa@example.test"
        ),
        "other_commune": make_user(Role.COMMUNE_OFFICER, [phu_khuong], username="other_commune"),
        "province": make_user(
            Role.PROVINCE_OFFICER, [vinh_long], username="province", email="tinh@example.test"
        ),
        "other_province": make_user(
            Role.PROVINCE_OFFICER, [unit("01", "province")], username="hanoi"
        ),
        "council": make_user(Role.COUNCIL_MEMBER, [vinh_long], username="council"),
    }


def recognition_people(make_user, unit) -> dict:
    """The recognition chain's people, by role (the `people` fixture of
    tests/fixtures/recognition.py; the dossier tests have their own, `dossier_people`)."""
    an_hoi, phu_khuong = unit("28777"), unit("28756")
    vinh_long, hanoi = unit("86", "province"), unit("01", "province")
    return {
        "producer": make_user(
            Role.PRODUCER, [an_hoi], username="producer", email="sx@example.test"
        ),
        "producer2": make_user(
            Role.PRODUCER, [phu_khuong], username="producer2", email="sx2@example.test"
        ),
        "commune": make_user(
            Role.COMMUNE_OFFICER, [an_hoi], username="commune", email="xa@example.test"
        ),
        "commune2": make_user(
            Role.COMMUNE_OFFICER, [phu_khuong], username="commune2", email="xa2@example.test"
        ),
        "province": make_user(
            Role.PROVINCE_OFFICER, [vinh_long], username="province", email="tinh@example.test"
        ),
        "leader": make_user(
            Role.PROVINCE_LEADER, [vinh_long], username="leader", email="ld@example.test"
        ),
        "other_leader": make_user(Role.PROVINCE_LEADER, [hanoi], username="hanoi_leader"),
        "other_province": make_user(Role.PROVINCE_OFFICER, [hanoi], username="hanoi_officer"),
        "ministry": make_user(
            Role.MINISTRY_OFFICER, [], username="ministry", email="bo@example.test"
        ),
    }
