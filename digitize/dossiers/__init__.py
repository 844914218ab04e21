"""A dossier's life: reception at the counter, reading its pages, checks against the procedure, answers (the JSON
contract), dossier codes, job runners and Celery tasks, the leaders' figures."""
