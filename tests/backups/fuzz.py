"""One fuzzing attempt: restore a damaged copy of a good set into a copy of an office's folder.

The outcome is "restored" (the damage did not matter: a field the restore does not rely on),
"refused:<code>" (a Chinese message and nothing changed), or "crash:<what>" (anything else:
an exception that is not a SubsidyDeskError, or a refusal that changed the data folder).
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

from core.actor import Actor, Role
from core.app import backups
from core.backups.layout import list_sets, primary_target
from core.db.engine import DB_FILENAME
from core.errors import SubsidyDeskError
from tests.backups.mutations import mutate

HEAD = Actor("赵所长", {Role.HEAD, Role.ADMIN})


def state(data_dir: Path) -> tuple[str, list[str]]:
    digest = hashlib.sha256((data_dir / DB_FILENAME).read_bytes()).hexdigest()
    return digest, [i.path.name for i in list_sets(primary_target(data_dir))]


def office_with_a_backup(folder: Path, encrypted: bool) -> Path:
    """A data folder with an office, cases, scans and one good set; returns the set."""
    from core.backups.config import update_config
    from core.backups.crypt import derive
    from core.backups.run import make_backup
    from core.db import open_database
    from tests.backups.office import add_cases, add_scan, set_office

    db = open_database(folder)
    set_office(db)
    add_cases(db, 3)
    db.close()
    for _ in range(3):
        add_scan(folder, 2048)
    if encrypted:
        update_config(folder, key=derive("模糊测试的密码"))
    return make_backup(folder, "manual").written[0].path


def attempt(template: Path, good_set: Path, work: Path, rng: random.Random) -> tuple[str, str]:
    """(kind of damage, outcome)."""
    shutil.rmtree(work, ignore_errors=True)
    data_dir = work / "data"
    shutil.copytree(template, data_dir)
    stick = work / "stick"
    shutil.copytree(good_set.parent, stick)
    set_dir = stick / good_set.name
    kind = mutate(set_dir, rng)
    before = state(data_dir)
    try:
        backups.restore_backup(data_dir, HEAD, set_dir=set_dir)
    except SubsidyDeskError as exc:
        if state(data_dir) != before:
            return kind, f"crash:refused {exc.code} but the data folder changed"
        if not any("\u4e00" <= c <= "\u9fff" for c in exc.message_zh):
            return kind, f"crash:message {exc.message_zh!r}"
        return kind, f"refused:{exc.code}"
    except Exception as exc:
        return kind, f"crash:{type(exc).__name__}: {exc}"
    return kind, "restored"
