JA = {
    "The import failed: {error}": "取り込みに失敗しました: {error}",
    "Done: open the season": "完了: シーズンを開く",
}
