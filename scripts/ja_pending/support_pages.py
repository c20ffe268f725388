"""Japanese for the support case pages (templates support_*.html and web/pages/support.py)."""

JA = {
    # navigation (base.html) and page titles
    "Get help": "相談する",
    "Support cases": "相談案件",
    "Support case #{id}": "相談案件 #{id}",
    "All support cases": "すべての相談案件",
    "My support cases": "自分の相談案件",
    # emergency contacts
    "In an emergency, call now": "緊急時は今すぐ電話してください",
    "Danger to life, a fire, an accident or a crime: do not wait for an answer here.": (
        "命の危険、火事、事故、犯罪のときは、ここでの回答を待たずに電話してください。"
    ),
    # the ALT's page and form
    "Ask the people responsible for supporting you: your Board of Education or your dispatch "
    "company. As JSON:": (
        "あなたを支援する責任のある担当者（教育委員会または派遣会社）に相談できます。JSON形式："
    ),
    "Case": "案件",
    "Next deadline": "次の期限",
    "You have not opened a support case.": "相談案件はまだありません。",
    "Open a support case": "相談案件を開く",
    "The case was not opened:": "案件を開けませんでした：",
    "Choose…": "選択してください…",
    "Harassment and health cases are seen only by you and the handlers assigned to you.": (
        "ハラスメントと健康の案件は、あなたと担当者だけが見ることができます。"
    ),
    "Preferred language for answers": "回答の希望言語",
    "Subject": "件名",
    "What happened, and what do you need?": "何があったか、何が必要かを書いてください",
    "Attachments (optional)": "添付ファイル（任意）",
    "Up to {files} files of at most {mb} MB each: {kinds}.": (
        "{files}件まで、1件あたり{mb} MBまで：{kinds}。"
    ),
    "Open the case": "案件を開く",
    "First response by {due}": "初回回答期限 {due}",
    "Resolution by {due}": "解決期限 {due}",
    # the handler's queue
    "Cases past a deadline first, then by the nearest deadline. As JSON:": (
        "期限を過ぎた案件が先頭、その後は期限の近い順です。JSON形式："
    ),
    "Hide resolved cases": "解決済みの案件を隠す",
    "Show resolved cases too": "解決済みの案件も表示する",
    "Answered {at}": "{at} に回答済み",
    "No open support cases.": "未解決の相談案件はありません。",
    # one case
    "Category": "分類",
    "Confidential": "非公開",
    "Urgency": "緊急度",
    "Preferred language": "希望言語",
    "Opened": "受付日時",
    "First response due": "初回回答期限",
    "answered {at}": "{at} に回答",
    "Resolution due": "解決期限",
    "resolved {at}": "{at} に解決",
    "Overdue": "期限超過",
    "Escalation level": "エスカレーション段階",
    "{level} of {levels}": "{levels}段階中{level}",
    "Handled by": "担当者",
    "Nobody is assigned yet: the employer's routing table is empty.": (
        "担当者がまだいません。雇用主の担当者表が空です。"
    ),
    "Reopened": "再開回数",
    "Attachments": "添付ファイル",
    "{kb} KB": "{kb} KB",
    "Messages": "メッセージ",
    "Unknown": "不明",
    "Internal note: not shown to the ALT": "内部メモ：ALTには表示されません",
    "No messages yet.": "メッセージはまだありません。",
    "Mediation with the school": "学校との調整",
    "School not named": "学校名なし",
    "Agreed:": "合意内容：",
    "Reply": "返信",
    "Message": "メッセージ",
    "Internal note (handlers only; never shown to the ALT)": (
        "内部メモ（担当者のみ。ALTには表示されません）"
    ),
    "Send": "送信",
    "Resolve": "解決",
    "Closing note to the ALT (optional)": "ALTへの完了メッセージ（任意）",
    "Mark resolved": "解決済みにする",
    "Not solved after all?": "解決していませんか？",
    "Why are you reopening it? (optional)": "再開する理由（任意）",
    "Reopen the case": "案件を再開する",
    "Record a mediation": "調整を記録する",
    "School id (optional)": "学校ID（任意）",
    "School contact": "学校の担当者",
    "Their role (optional)": "担当者の役職（任意）",
    "What was agreed": "合意した内容",
    "Record the mediation": "調整を記録する",
    # labels (web/pages/support.py)
    "Pay and contract": "給与・契約",
    "Housing": "住居",
    "Visa and paperwork": "ビザ・書類手続き",
    "School relations or dispute": "学校との関係・紛争",
    "Health": "健康",
    "Harassment": "ハラスメント",
    "Emergency": "緊急",
    "Low": "低",
    "Normal": "通常",
    "High": "高",
    "Answered": "回答済み",
    "Resolved": "解決済み",
    "Supervisor": "スーパーバイザー",
    "Section chief": "課長",
    "Programme adviser": "プログラム・コーディネーター",
    "Support desk": "サポート窓口",
    "Area manager": "エリアマネージャー",
    "First response overdue": "初回回答の期限超過",
    "Resolution overdue": "解決の期限超過",
    "Japanese": "日本語",
}
