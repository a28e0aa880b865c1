from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2, as in production, with the smallest costs: fast enough for hundreds of test users.

    The production costs are in Django's Argon2PasswordHasher (``accord.settings``); a test in
    core/tests/test_security.py checks that the settings name it.
    """

    time_cost = 1
    memory_cost = 8
    parallelism = 1
