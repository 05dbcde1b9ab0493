"""Users and roles for the app: drafter, evaluator, trainer.

Configured from a file (PBM_USERS_FILE: JSON {"alice": {"password": "...", "role": "trainer"}};
a password may be given as "sha256:<hex>") or from PBM_USERS ("alice:pw:trainer;bob:pw:evaluator").
With no users configured the app serves one local user with every role, and refuses to bind
anything but 127.0.0.1. The server checks roles in the services, not only in the page.
Failed sign-ins are throttled per user and per address (:class:`LoginThrottle`).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

ROLES = ("drafter", "evaluator", "trainer")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class User:
    name: str
    password: str
    role: str

    def check(self, password: str) -> bool:
        """Constant-time comparison against the stored form: "pbkdf2:<iterations>:<salt>:<hex>"
        (salted, slow: what a deployment should use, see :func:`hash_password`), "sha256:<hex>"
        (unsalted, kept for existing files) or the password itself (PBM_USERS on one machine)."""
        if self.password.startswith("pbkdf2:"):
            _, rounds, salt, digest = self.password.split(":", 3)
            mine = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(rounds)).hex()
            return hmac.compare_digest(mine, digest)
        if self.password.startswith("sha256:"):
            digest = hashlib.sha256(password.encode()).hexdigest()
            return hmac.compare_digest(digest, self.password[7:])
        return hmac.compare_digest(password, self.password)


def hash_password(password: str, rounds: int = 600_000) -> str:
    """The stored form of a password for PBM_USERS_FILE: ``python -m pbm_nlp.auth`` prompts for one."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds).hex()
    return f"pbkdf2:{rounds}:{salt.hex()}:{digest}"


def load_users(env: dict[str, str] | None = None) -> dict[str, User]:
    env = dict(os.environ) if env is None else env
    users: dict[str, User] = {}
    if path := env.get("PBM_USERS_FILE"):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"无法读取用户文件 {path}：{exc}", f"cannot read the users file {path}: {exc}") from exc
        for name, spec in data.items():
            users[name] = User(name, str(spec["password"]), str(spec.get("role", "drafter")))
    if spec := env.get("PBM_USERS"):
        for entry in filter(None, (e.strip() for e in spec.split(";"))):
            parts = entry.split(":")
            if len(parts) != 3:
                raise InputError(f"PBM_USERS 项 {entry!r} 应为 用户:密码:角色",
                                 f"PBM_USERS entry {entry!r} must be user:password:role")
            users[parts[0]] = User(*parts)
    for u in users.values():
        if u.password.startswith("pbkdf2:") and u.password.count(":") != 3:
            raise InputError(f"用户 {u.name} 的密码应为 pbkdf2:轮数:盐:摘要（用 python -m pbm_nlp.auth 生成）",
                             f"user {u.name}: the password must be pbkdf2:rounds:salt:digest "
                             "(make one with python -m pbm_nlp.auth)")
        if u.role not in ROLES:
            raise InputError(f"用户 {u.name} 的角色 {u.role!r} 无效，应为 {ROLES}",
                             f"user {u.name} has invalid role {u.role!r}: expected one of {ROLES}")
    return users


def check_bind(host: str, users: dict[str, User]) -> None:
    """Binding beyond this machine needs users configured."""
    if host not in LOCAL_HOSTS and not users:
        raise InputError(
            f"绑定 {host} 需要先配置用户与角色（PBM_USERS 或 PBM_USERS_FILE）。",
            f"binding {host} requires authentication: set PBM_USERS or PBM_USERS_FILE first.",
        )


def role_of(username: str | None, users: dict[str, User]) -> str:
    """The role of a request's user; with no users configured, the local user may do everything."""
    if not users:
        return "trainer"
    user = users.get(username or "")
    return user.role if user else "none"


class LoginThrottle:
    """Failed sign-ins counted per user and per address; after ``free`` failures in a row a key is
    locked for ``base`` seconds, doubling with every further failure up to ``most``. A success
    clears the user's and the address's count. At most ``keys`` keys are remembered (the oldest
    are forgotten first), so spraying made-up user names cannot grow memory without bound.

    ``clock`` is injectable so that the back-off can be tested without waiting.
    """

    def __init__(self, free: int = 5, base: float = 30.0, most: float = 900.0, keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.free, self.base, self.most, self.keys, self.clock = free, base, most, keys, clock
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # key -> (count, locked until)
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> float:
        """Seconds until every one of ``keys`` may try again (0 when none is locked)."""
        now = self.clock()
        with self._lock:
            return max([self._failures.get(k, (0, 0.0))[1] - now for k in keys] + [0.0])

    def failed(self, *keys: str) -> float:
        """Count a failure for each key; returns how long the most locked one must now wait."""
        now = self.clock()
        with self._lock:
            for k in keys:
                count = self._failures.pop(k, (0, 0.0))[0] + 1
                extra = count - self.free
                until = now + min(self.base * 2 ** (extra - 1), self.most) if extra > 0 else 0.0
                self._failures[k] = (count, until)
            while len(self._failures) > self.keys:
                self._failures.popitem(last=False)
        return self.wait(*keys)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)


if __name__ == "__main__":
    import getpass

    print(hash_password(getpass.getpass("密码 / password: ")))
