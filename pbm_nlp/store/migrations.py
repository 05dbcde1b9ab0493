"""Schema versions. Each step moves the database from version i to i+1; never edit a shipped step."""
from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: documents, projects, evaluations, declarations and their parts; annotations; models.
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        doc_type TEXT NOT NULL,
        text_hash TEXT NOT NULL UNIQUE,
        n_records INTEGER NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        UNIQUE (name, unit)
    );
    CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        project_id INTEGER NOT NULL REFERENCES projects(id),
        ordinal INTEGER NOT NULL,
        doc_type TEXT NOT NULL,
        year INTEGER,
        amount REAL,
        amount_unit TEXT,
        amount_yuan REAL,
        score REAL,
        grade TEXT,
        achievements TEXT NOT NULL DEFAULT '',
        rectification_status TEXT NOT NULL DEFAULT '',
        stated_totals TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        number INTEGER,
        heading TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL
    );
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        number INTEGER,
        heading TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL
    );
    CREATE TABLE score_items (
        id INTEGER PRIMARY KEY,
        evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        level INTEGER NOT NULL,
        weight REAL,
        full REAL,
        score REAL
    );
    CREATE TABLE declarations (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        project_id INTEGER NOT NULL REFERENCES projects(id),
        ordinal INTEGER NOT NULL,
        year INTEGER,
        frame TEXT NOT NULL,
        project_type TEXT NOT NULL DEFAULT '[]',
        fund_use TEXT NOT NULL DEFAULT '[]',
        category TEXT,
        start_date TEXT,
        end_date TEXT,
        budget REAL,
        overview TEXT NOT NULL DEFAULT '',
        total_goal TEXT NOT NULL DEFAULT '',
        annual_goal TEXT NOT NULL DEFAULT '',
        subprojects TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE indicators (
        id INTEGER PRIMARY KEY,
        declaration_id INTEGER NOT NULL REFERENCES declarations(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        level1 TEXT NOT NULL,
        level2 TEXT,
        name TEXT NOT NULL,
        target TEXT NOT NULL,
        operator TEXT,
        value REAL,
        unit TEXT,
        qualitative INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        ext_id TEXT UNIQUE,
        text TEXT NOT NULL,
        themes TEXT NOT NULL DEFAULT '[]',
        kind TEXT,
        source TEXT NOT NULL,
        labeled_by TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        split TEXT NOT NULL DEFAULT 'train',
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        updated_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE annotation_log (
        id INTEGER PRIMARY KEY,
        annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        old_themes TEXT,
        new_themes TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE model_versions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        path TEXT NOT NULL,
        data_hash TEXT NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL DEFAULT (datetime('now')),
        active INTEGER NOT NULL DEFAULT 0,
        UNIQUE (name, version)
    );
    CREATE INDEX idx_problems_eval ON problems(evaluation_id);
    CREATE INDEX idx_indicators_decl ON indicators(declaration_id);
    CREATE INDEX idx_annotations_split ON annotations(split);
    """,
    # 2: evaluation metadata (region, kind, who found the problems, the source's title); a store
    # revision bumped by every write, so caches built from the store know when they are stale;
    # the tagger's themes per stored problem and model version, so mining need not re-tag.
    """
    ALTER TABLE evaluations ADD COLUMN region TEXT;
    ALTER TABLE evaluations ADD COLUMN kind TEXT;
    ALTER TABLE evaluations ADD COLUMN finder TEXT;
    ALTER TABLE evaluations ADD COLUMN title TEXT NOT NULL DEFAULT '';
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('revision', 0);
    CREATE TABLE problem_tags (
        problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        model_version TEXT NOT NULL,
        themes TEXT NOT NULL,
        scores TEXT NOT NULL,
        PRIMARY KEY (problem_id, model_version)
    );
    CREATE INDEX idx_suggestions_eval ON suggestions(evaluation_id);
    CREATE INDEX idx_log_annotation ON annotation_log(annotation_id);
    """,
    # 3: a version per labelled example, bumped by every label edit, so an edit made on an old view
    # of the example is refused instead of silently overwriting someone else's.
    """
    ALTER TABLE annotations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the missing steps in one transaction each; returns the version reached."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        from ..errors import PbmError

        raise PbmError(
            f"数据库版本 {current} 高于本程序支持的 {SCHEMA_VERSION}，请升级 pbm-nlp。",
            f"database schema version {current} is newer than this pbm-nlp supports ({SCHEMA_VERSION}): upgrade.",
        )
    for version in range(current, SCHEMA_VERSION):
        with conn:
            conn.executescript("BEGIN;" + MIGRATIONS[version] + f"; PRAGMA user_version = {version + 1}; COMMIT;")
    return SCHEMA_VERSION
