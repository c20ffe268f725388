"""Japanese for the msgids helper D added (database outage page and API answer)."""

JA = {
    "The database cannot be reached just now. Nothing was changed; try again in a moment.": (
        "現在データベースに接続できません。変更は保存されていません。しばらくしてからもう一度お試しください。"
    ),
    "Temporarily unavailable": "一時的に利用できません",
    "Try again": "再試行",
}
