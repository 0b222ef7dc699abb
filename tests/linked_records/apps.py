from django.apps import AppConfig


class LinkedRecordsConfig(AppConfig):
    name = "tests.linked_records"
    label = "linked_records"
    verbose_name = "Linked records (tests only)"
