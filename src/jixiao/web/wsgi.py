import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
application = get_wsgi_application()

# A worker keeps many objects alive (rubrics, recent analyses, remembered scores), and CPython's
# full collection walked them all every few requests: 60–100 ms each, a tenth of the mean cost of
# a save and most of its slowest twentieth. What is alive once the application is loaded is
# frozen out of collection, and collections run less often; reference counting frees nearly
# everything here anyway (bench/load.py: save p95 CPU 146 → 60 ms).
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 10, 100)
