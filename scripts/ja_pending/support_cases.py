# ruff: noqa: E501
"""Japanese for the support-case services' messages (issue 7, helper H2); merged by the lead."""

JA = {
    "Support case #{case_id} was opened and routed to you.": "サポート案件 #{case_id} が登録され、あなたに割り当てられました。",
    "EMERGENCY: support case #{case_id} needs you now.": "緊急：サポート案件 #{case_id} に直ちに対応してください。",
    "Your support case #{case_id} was marked resolved.": "あなたのサポート案件 #{case_id} が解決済みになりました。",
    "Support case #{case_id} was reopened.": "サポート案件 #{case_id} が再開されました。",
    "A mediation was recorded on your support case #{case_id}.": "あなたのサポート案件 #{case_id} に学校との調整の記録が追加されました。",
    "Attach at most {limit} files; {file} is one too many.": "添付できるファイルは{limit}件までです。{file} は上限を超えています。",
    "altmatch has no current employment contract for you, so it cannot tell who is responsible for supporting you. Contact your employer directly (your Board of Education or dispatch company), or ask them to record your contract.": "altmatchにはあなたの現在の雇用契約が登録されていないため、誰がサポートを担当するか判断できません。雇用主（教育委員会または派遣会社）に直接連絡するか、契約を登録するよう依頼してください。",
    "{file} is not a file type we accept ({types}).": "{file} は受け付けていないファイル形式です（{types}）。",
    "{file} is larger than the limit of {limit} MB.": "{file} は上限の{limit} MBを超えています。",
    "The ALT wrote on case #{case_id}.": "ALTが案件 #{case_id} に書き込みました。",
    "Your support case #{case_id} has a reply.": "あなたのサポート案件 #{case_id} に返信がありました。",
    "This case is already resolved.": "この案件はすでに解決済みです。",
    "Only the ALT who opened a case can reopen it.": "案件を再開できるのは、登録したALT本人だけです。",
    "Only a resolved case can be reopened.": "再開できるのは解決済みの案件だけです。",
    "Mediation is recorded on school relations cases only.": "調整の記録は「学校との関係」の案件にのみ追加できます。",
    "There is no school {school_id}.": "学校 {school_id} は存在しません。",
    "Only handlers can write internal notes.": "内部メモを書けるのは担当者だけです。",
    "This case is resolved; reopen it to write again.": "この案件は解決済みです。書き込むには再開してください。",
    "This organisation cannot have the role {role} on its route.": "この組織の対応経路には役割 {role} を設定できません。",
    "User {user_id} is not active staff of this organisation.": "ユーザー {user_id} はこの組織の有効な職員ではありません。",
    "There is no user with the e-mail {email}.": "メールアドレス {email} のユーザーは存在しません。",
    "Support case #{case_id} is overdue and was escalated to you.": "サポート案件 #{case_id} が期限を過ぎたため、あなたにエスカレーションされました。",
    "Support case #{case_id} has nobody on your support routing table to answer it. Name the handlers for each level under support routes.": "サポート案件 #{case_id} に対応する担当者が対応経路に登録されていません。対応経路で各段階の担当者を指定してください。",
}
