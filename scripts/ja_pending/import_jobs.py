"""Japanese for the msgids of season imports as background jobs (helper I)."""

JA = {
    "The file has errors; nothing was imported.": (
        "ファイルにエラーがあるため、何も取り込んでいません。"
    ),
    "Checking and storing the file": "ファイルを確認して保存しています",
}
