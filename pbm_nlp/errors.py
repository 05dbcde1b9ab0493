"""Every error a user can meet, with a Chinese and an English message.

Messages say what was expected, what arrived, and what to do (the scikit-learn habit),
so the CLI and the app can show them as they are.
"""
from __future__ import annotations


class PbmError(Exception):
    """Base class: carries a Chinese and an English message."""

    def __init__(self, zh: str, en: str):
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


class InputError(PbmError):
    """The user's input cannot be used as given (empty, too large, not text, bad JSON...)."""


class UnsupportedFormat(InputError):
    """A file type we have no reader for."""


class UnreadableFile(InputError):
    """A file of a supported type that cannot be opened (malformed docx/pdf/xlsx, binary .txt)."""


class UnrecognisedDocument(InputError):
    """A readable file that holds none of the document types we parse."""


class StoreError(PbmError):
    """The store cannot be opened, read or written. ``disk`` says whose fault it is: True when the
    database or its disk is at fault (full, read-only, corrupt, missing), so a batch must stop;
    False when one record could not be stored (too big, a constraint), so the batch goes on."""

    def __init__(self, zh: str, en: str, disk: bool = True):
        super().__init__(zh, en)
        self.disk = disk


class StaleEdit(PbmError):
    """An edit was based on a version of a record that someone else has changed since."""


class ModelNotTrained(PbmError):
    """Prediction was asked of a model that has not been fitted or built."""


class EncoderUnavailable(PbmError):
    """The local sentence encoder cannot be found or loaded."""


def empty_input(what: str = "输入文本") -> InputError:
    return InputError(f"{what}为空，请提供内容。", f"{what} is empty: please provide some text.")


def too_long(what: str, n: int, limit: int) -> InputError:
    return InputError(f"{what}过长（{n} 字，上限 {limit} 字），请拆分后分批提交，或改用 pbm 命令行处理文件。",
                      f"{what} is too long ({n} characters, limit {limit}): split it, or process the file with "
                      "the pbm command line.")


def too_large(name: str, size: int, limit: int) -> InputError:
    return InputError(
        f"{name} 过大（{size / 1e6:.1f} MB，上限 {limit / 1e6:.0f} MB），请拆分后再提交。",
        f"{name} is too large ({size / 1e6:.1f} MB, limit {limit / 1e6:.0f} MB): split it and try again.",
    )
