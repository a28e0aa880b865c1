"""Register imports committed by the background worker (``manage.py db_worker``)."""

from django_tasks import task

from partnerships.importing import background


@task()
def run_import(import_pk):
    background.run(import_pk)
