# ruff: noqa: E501  (one translation per line reads best)
"""Japanese for the two-factor sign-in strings (helper C): merge with
`python scripts/update_catalog.py scripts/ja_pending/two_factor.py` after extracting."""

JA = {
    # set-up page
    "Two-factor sign-in": "2段階認証",
    "With two-factor sign-in, a stolen password is not enough to open your account: signing in also needs a 6-digit code from an authenticator app on your phone.": "2段階認証を有効にすると、パスワードが盗まれてもアカウントには入れません。ログインには、スマートフォンの認証アプリに表示される6桁のコードも必要になります。",
    "Your recovery codes": "リカバリーコード",
    "Each code works once, in place of a code from your phone. Print them or keep them somewhere safe: they are shown only now.": "各コードは1回だけ、スマートフォンのコードの代わりに使えます。印刷するか安全な場所に保管してください。表示されるのは今回だけです。",
    "On since {date}": "{date}から有効",
    "Recovery codes left": "残りのリカバリーコード",
    "New recovery codes": "リカバリーコードの再発行",
    "Makes ten new codes; the old ones stop working.": "新しいコードを10個発行します。以前のコードは使えなくなります。",
    "Make new recovery codes": "リカバリーコードを再発行する",
    "Turn two-factor sign-in off": "2段階認証を無効にする",
    "Turn off": "無効にする",
    "Turn on": "有効にする",
    "Current code": "現在のコード",
    "or your password": "またはパスワード",
    "Staff accounts need two-factor sign-in here. Set it up to continue.": "このシステムでは、職員アカウントに2段階認証が必要です。続けるには設定してください。",
    "Install an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password) and scan this QR code with it.": "スマートフォンに認証アプリ（Google Authenticator、Microsoft Authenticator、1Passwordなど）を入れ、このQRコードを読み取ってください。",
    "QR code for the authenticator app": "認証アプリ用のQRコード",
    "Cannot scan it? Type this key into the app instead:": "読み取れない場合は、代わりにこのキーをアプリに入力してください：",
    "Enter the 6-digit code the app now shows, to check it works.": "動作確認のため、アプリに表示されている6桁のコードを入力してください。",
    "Code": "コード",
    "Back to your account": "アカウントに戻る",
    # account page
    "Protect your account with a code from your phone as well as your password.": "パスワードに加えてスマートフォンのコードでアカウントを守ります。",
    "Set up or change two-factor sign-in": "2段階認証の設定・変更",
    # sign-in, second step
    "Enter your sign-in code": "確認コードの入力",
    "Open the authenticator app on your phone and enter the 6-digit code it shows for altmatch.": "スマートフォンの認証アプリを開き、altmatchに表示されている6桁のコードを入力してください。",
    "No phone at hand? Enter one of your recovery codes instead. Lost both? Ask your administrator to reset two-factor sign-in.": "スマートフォンが手元にない場合は、リカバリーコードを入力してください。どちらもない場合は、管理者に2段階認証のリセットを依頼してください。",
    "Enter the 6-digit code from your authenticator app, or a recovery code.": "認証アプリの6桁のコード、またはリカバリーコードを入力してください。",
    "Wrong code. Try again.": "コードが違います。もう一度入力してください。",
    "This sign-in has expired. Enter your password again.": "ログインの有効期限が切れました。もう一度パスワードを入力してください。",
    # refusals
    "Set up two-factor sign-in first: staff accounts need it here.": "先に2段階認証を設定してください。このシステムでは職員アカウントに必要です。",
    "That code is not right. Check your phone's clock.": "コードが正しくありません。スマートフォンの時刻を確認してください。",
    "Two-factor sign-in is already on.": "2段階認証はすでに有効です。",
    "Open the set-up page first.": "先に設定ページを開いてください。",
    "Enter a current code or your password.": "現在のコードまたはパスワードを入力してください。",
    "Two-factor sign-in is off.": "2段階認証は無効です。",
}
