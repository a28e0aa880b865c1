"""Settings for ``scripts/load``: Accord's production settings exactly (``accord.settings_production``)
plus one URL of its own, the bare view the load test measures as the framework's floor
(``benchmarks/urls_load.py``). Never used by a deployment: production serves ``accord.urls``.
"""

from accord.settings_production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls_load"
