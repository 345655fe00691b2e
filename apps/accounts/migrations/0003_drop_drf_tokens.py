# DRF's authtoken kept every key in clear; API tokens are now stored as SHA-256 digests
# (accounts.ApiToken) and `rest_framework.authtoken` is no longer installed. The old keys cannot
# be converted into anything shown once, so they are dropped: users create a new token on
# /accounts/api-token/ or with POST /ogc/token (README, "Security").

from django.db import migrations

OLD_TABLE = "authtoken_token"


def drop_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if OLD_TABLE in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(OLD_TABLE)}")
        # Forget authtoken's applied migrations, so installing it again would recreate its table.
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_api_token"),
    ]

    operations = [
        migrations.RunPython(drop_drf_tokens, migrations.RunPython.noop, elidable=True),
    ]
