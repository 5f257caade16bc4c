"""Each secret setting is read from the file its <NAME>_FILE variable names; a bad file is named, unread."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.secret_files import SecretFileError
from app.settings import SECRET_FIELDS, Settings

SENTINEL = "planted-7c1e9f0b2d"
PLANTED = {
    "MONGODB_URI": f"mongodb+srv://api:{SENTINEL}@cluster0.example.mongodb.net/",
    "REDIS_URL": f"rediss://:{SENTINEL}@cache.example.internal:6379/0",
    "JWT_SECRET": f"{SENTINEL}-" + "k" * 32,
    "SENTRY_DSN": f"https://{SENTINEL}@o1.ingest.sentry.io/2",
}


@pytest.fixture(autouse=True)
def no_secret_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PLANTED:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)


def plant(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    path.chmod(0o400)
    return path


def test_every_secret_setting_is_read_from_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PLANTED.items():
        # A Secret written by hand often ends with a line break.
        monkeypatch.setenv(f"{name}_FILE", str(plant(tmp_path, name, value + "\n")))

    settings = Settings(app_env="production")

    read = {name: getattr(settings, name.lower()).get_secret_value() for name in PLANTED}
    assert read == PLANTED
    assert {name.lower() for name in PLANTED} == set(SECRET_FIELDS)


def test_the_plain_variable_still_works_for_local_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")

    redis_url = Settings().redis_url
    assert redis_url is not None
    assert redis_url.get_secret_value() == "redis://localhost:6379/0"


def test_a_missing_file_names_the_variable_and_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "JWT_SECRET"
    monkeypatch.setenv("JWT_SECRET_FILE", str(missing))

    with pytest.raises(SecretFileError) as refused:
        Settings()

    assert (
        str(refused.value) == f"JWT_SECRET_FILE={missing}: cannot read the file (No such file or directory)"
    )


def test_an_unreadable_file_names_the_variable_and_never_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "MONGODB_URI"
    directory.mkdir()
    monkeypatch.setenv("MONGODB_URI_FILE", str(directory))

    with pytest.raises(SecretFileError, match=r"MONGODB_URI_FILE=.*MONGODB_URI: cannot read the file"):
        Settings()


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\n", "the file is empty"), (b"\xff" + SENTINEL.encode(), "the file is not UTF-8 text")],
    ids=["empty", "binary"],
)
def test_a_file_without_a_usable_value_is_refused_without_repeating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, reason: str
) -> None:
    path = tmp_path / "SENTRY_DSN"
    path.write_bytes(content)
    monkeypatch.setenv("SENTRY_DSN_FILE", str(path))

    with pytest.raises(SecretFileError) as refused:
        Settings()

    assert str(refused.value) == f"SENTRY_DSN_FILE={path}: {reason}"
    assert "0xff" not in str(refused.value)


def test_a_variable_and_its_file_together_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", PLANTED["REDIS_URL"])
    monkeypatch.setenv("REDIS_URL_FILE", str(plant(tmp_path, "REDIS_URL", PLANTED["REDIS_URL"])))

    with pytest.raises(SecretFileError) as refused:
        Settings()

    assert str(refused.value) == "REDIS_URL and REDIS_URL_FILE are both set: set only one of them"


def test_a_bad_value_from_a_file_is_reported_without_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONGODB_URI_FILE", str(plant(tmp_path, "MONGODB_URI", f"postgres://{SENTINEL}@db/")))

    with pytest.raises(ValueError, match="MONGODB_URI must start with") as refused:
        Settings()

    assert SENTINEL not in str(refused.value)


def test_only_the_secret_settings_are_read_from_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORT_FILE", str(plant(tmp_path, "PORT", "9999")))

    assert Settings().port == 8000
