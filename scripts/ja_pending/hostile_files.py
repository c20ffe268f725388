"""Japanese for the import errors of issue 8 (hostile files): `python scripts/update_catalog.py
scripts/ja_pending/hostile_files.py` after extracting the template."""

JA = {
    "UTF-16 is not accepted: save as CSV UTF-8 or CSV (CP932)": (
        "UTF-16 のファイルは読み込めません。「CSV UTF-8」または「CSV（コンマ区切り）」"
        "（CP932）で保存し直してください"
    ),
    "a cell is longer than {limit:,} characters": "{limit:,} 文字を超えるセルがあります",
    "a column has no name": "列名のない列があります",
    "a formula ({formula}): type the value itself, or paste it as values": (
        "数式です（{formula}）。値そのものを入力するか、「値として貼り付け」してください"
    ),
    "a zip archive but not an .xlsx workbook": "ZIP ファイルですが、.xlsx ブックではありません",
    "an old .xls or a password-protected workbook: save it as .xlsx": (
        "古い .xls 形式か、パスワード付きのブックです。"
        "パスワードなしの .xlsx で保存し直してください"
    ),
    "cannot read: {problem}": "読み込めません：{problem}",
    "column appears twice": "同じ列名が 2 回あります",
    "contains NUL bytes: not a text CSV file": (
        "NUL バイトが含まれています。テキストの CSV ファイルではありません"
    ),
    "expected a .csv or .xlsx file": ".csv または .xlsx のファイルを指定してください",
    "file not found": "ファイルが見つかりません",
    "line {line} is longer than {limit:,} characters": (
        "{line} 行目が {limit:,} 文字を超えています"
    ),
    "malformed CSV: the file ends inside a quoted cell (cut short?)": (
        'CSV の形式が正しくありません。引用符（"）で囲まれたセルの途中でファイルが終わっています'
        "（途中で切れていませんか）"
    ),
    "malformed CSV: {detail}": "CSV の形式が正しくありません：{detail}",
    "more than {limit:,} rows": "行数が上限の {limit:,} 行を超えています",
    "more than {limit:,} rows, blank ones included": (
        "空行を含めた行数が {limit:,} 行を超えています"
    ),
    "more than {limit} columns": "列数が上限の {limit} 列を超えています",
    "neither UTF-8 nor CP932 text (byte 0x{byte:02x}): save it from Excel as CSV UTF-8": (
        "UTF-8 でも CP932（Shift_JIS）でもない文字があります（バイト 0x{byte:02x}）。"
        "Excel で「CSV UTF-8」として保存し直してください"
    ),
    "not a readable .xlsx workbook (not a zip archive, or cut short)": (
        ".xlsx ブックとして読み込めません（ZIP 形式でないか、途中で切れています）"
    ),
    "not a readable .xlsx workbook ({problem})": ".xlsx ブックとして読み込めません（{problem}）",
    "not valid UTF-8 (byte 0x{byte:02x} on line {line}): save it from Excel as CSV UTF-8": (
        "UTF-8 として正しくない文字があります（{line} 行目のバイト 0x{byte:02x}）。"
        "Excel で「CSV UTF-8」として保存し直してください"
    ),
    "starts with a UTF-8 BOM but is not UTF-8 (byte 0x{byte:02x}): save it from Excel as CSV "
    "UTF-8": (
        "UTF-8 の BOM で始まっていますが、UTF-8 ではありません（バイト 0x{byte:02x}）。"
        "Excel で「CSV UTF-8」として保存し直してください"
    ),
    "the file ends in the middle of a character: it was cut short": (
        "文字の途中でファイルが終わっています。ファイルが途中で切れています"
    ),
    "the file is empty (no header row)": "ファイルが空です（見出し行がありません）",
    "the file is {size:,} bytes; the limit is {limit:,}": (
        "ファイルが {size:,} バイトあります。上限は {limit:,} バイトです"
    ),
    "the workbook has no sheet": "ブックにシートがありません",
    "the workbook is encrypted: save it without a password": (
        "ブックが暗号化されています。パスワードなしで保存し直してください"
    ),
    "the workbook unpacks to {size:,} bytes; the limit is {limit:,}": (
        "ブックを展開すると {size:,} バイトになります。上限は {limit:,} バイトです"
    ),
    "this is an Excel workbook: give it the .xlsx suffix": (
        "これは Excel のブックです。拡張子を .xlsx にしてください"
    ),
    "this is an old .xls workbook: save it as .xlsx or CSV": (
        "これは古い .xls 形式のブックです。.xlsx か CSV で保存し直してください"
    ),
    "{cells} cells but the header has {columns} columns": (
        "セルが {cells} 個ありますが、見出しは {columns} 列です"
    ),
    "{part} is compressed {ratio:,}:1, far beyond any real workbook": (
        "{part} の圧縮率が {ratio:,}:1 で、通常のブックではありえない値です"
    ),
}
