<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>CaptionsBox</name>
    <message>
        <source>from the file</source>
        <translation>ファイルから</translation>
    </message>
    <message>
        <source>yours</source>
        <translation>あなたのキャプション</translation>
    </message>
    <message>
        <source>vocabulary</source>
        <translation>語彙</translation>
    </message>
    <message>
        <source>another photo&apos;s caption</source>
        <translation>別の写真のキャプション</translation>
    </message>
    <message>
        <source>Write a caption (searchable by its words)…</source>
        <translation>キャプションを入力（その言葉で検索できます）…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Described as</source>
        <translation>この写真の説明</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>キャプション</translation>
    </message>
    <message>
        <source>Shown once the model and the caption vocabulary are ready.</source>
        <translation>モデルとキャプション語彙の準備ができると表示されます。</translation>
    </message>
    <message>
        <source>Captions unavailable: %1</source>
        <translation>キャプションを読み込めません: %1</translation>
    </message>
    <message>
        <source>Cannot describe this photo: %1</source>
        <translation>この写真を説明できません: %1</translation>
    </message>
    <message>
        <source>The caption was not saved: %1</source>
        <translation>キャプションを保存できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>DemoFallback</name>
    <message>
        <source>The model %1 cannot be loaded here: %2 PhotoSearch is showing its bundled demo model on generated demo photos instead (%3). Try a search like “%4”. To search your own photos, connect to the internet and start PhotoSearch again.</source>
        <translation>この環境ではモデル %1 を読み込めません: %2 代わりに、PhotoSearch に付属のデモ用モデルで生成したデモ写真を表示しています（%3）。「%4」のように検索してみてください。自分の写真を検索するには、インターネットに接続して PhotoSearch を起動し直してください。</translation>
    </message>
    <message>
        <source>PhotoSearch — demo (the default model is not available)</source>
        <translation>PhotoSearch — デモ（既定のモデルを利用できません）</translation>
    </message>
    <message>
        <source>Default model unavailable (offline?): showing the bundled demo model on demo photos</source>
        <translation>既定のモデルを利用できません（オフライン？）: 付属のデモ用モデルでデモ写真を表示しています</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>the dropped image</source>
        <translation>ドロップした画像</translation>
    </message>
    <message>
        <source>the pasted image</source>
        <translation>貼り付けた画像</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Identical files</source>
        <translation>同一のファイル</translation>
    </message>
    <message>
        <source>Near-duplicates</source>
        <translation>ほぼ同じ写真</translation>
    </message>
    <message>
        <source>Similar shots</source>
        <translation>似たショット</translation>
    </message>
    <message>
        <source>the only copy</source>
        <translation>唯一のコピー</translation>
    </message>
    <message>
        <source>same resolution and format; the one with camera metadata</source>
        <translation>解像度と形式が同じ。カメラ情報のあるもの</translation>
    </message>
    <message>
        <source>same resolution, format and metadata; the larger file (less re-compressed)</source>
        <translation>解像度・形式・メタデータが同じ。ファイルサイズが大きいもの（再圧縮が少ない）</translation>
    </message>
    <message>
        <source>otherwise alike; the oldest file</source>
        <translation>ほかは同じ。最も古いファイル</translation>
    </message>
    <message>
        <source>the copies are alike; the first one</source>
        <translation>コピーはすべて同じ。最初のもの</translation>
    </message>
    <message>
        <source>largest resolution (%1)</source>
        <translation>最も高い解像度（%1）</translation>
    </message>
    <message>
        <source>same resolution; the original format (%1) over a re-saved %2</source>
        <translation>解像度が同じ。再保存された %2 よりも元の形式（%1）</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>重複</translation>
    </message>
    <message>
        <source>Looking for duplicates…</source>
        <translation>重複を探しています…</translation>
    </message>
    <message>
        <source>Include similar shots (bursts)</source>
        <translation>似たショット（連写）も含める</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>ゴミ箱に移動</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>%1: keep %2 (%3)</source>
        <translation>%1: %2 を残す（%3）</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>残す</translation>
    </message>
    <message>
        <source>no preview</source>
        <translation>プレビューなし</translation>
    </message>
    <message>
        <source>No duplicates found. Photos join once indexing has finished its background passes.</source>
        <translation>重複は見つかりませんでした。バックグラウンドのインデックス作成が終わった写真から対象になります。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s) would keep nothing: tick at least one photo to keep in each group.</source>
        <translation>
            <numerusform>%Ln 個のグループで残す写真がありません。各グループで少なくとも 1 枚にチェックを入れてください。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s).</source>
        <translation>
            <numerusform>%Ln 個のグループ。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) (%1) will go to the trash; you can restore them from there.</source>
        <translation>
            <numerusform>%Ln 枚の写真（%1）をゴミ箱に移動します。ゴミ箱から元に戻せます。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to trash</source>
        <translation>
            <numerusform>%Ln 枚の写真をゴミ箱に移動</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation>詳細をコピー</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>詳細を表示</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>コピーしました</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>詳細を隠す</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Problem</source>
        <translation>問題が発生しました</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. You can keep working; if it happens again, please report it with the details below.</source>
        <translation>予期しないエラーが発生しました。このまま作業を続けられます。再び発生した場合は、下の詳細を添えてご報告ください。</translation>
    </message>
    <message>
        <source>The details were written to %1.</source>
        <translation>詳細は %1 に書き込まれました。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>予期しないエラー</translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message>
        <source>Files that could not be indexed</source>
        <translation>インデックスを作成できなかったファイル</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</source>
        <translation>
            <numerusform>%Ln 個のファイルのインデックスを作成できませんでした。変更されるまでスキップされます。修正または削除すると、再び処理されます。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every photo was indexed.</source>
        <translation>すべての写真のインデックスを作成しました。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Copy list</source>
        <translation>リストをコピー</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All folders</source>
        <translation>すべてのフォルダ</translation>
    </message>
    <message>
        <source>From</source>
        <translation>開始日</translation>
    </message>
    <message>
        <source>To</source>
        <translation>終了日</translation>
    </message>
    <message>
        <source>Any camera</source>
        <translation>すべてのカメラ</translation>
    </message>
    <message>
        <source>Any place</source>
        <translation>すべての場所</translation>
    </message>
    <message>
        <source>Where the photo was taken (from its GPS position)</source>
        <translation>撮影場所（GPS 位置情報から）</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>フィルタをクリア</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Welcome to PhotoSearch</source>
        <translation>PhotoSearch へようこそ</translation>
    </message>
    <message>
        <source>Find your photos by describing them, like “%1”, or by dropping in a photo to find ones like it.

Start by adding a folder of photos. PhotoSearch indexes it on this computer: nothing is uploaded, and it works offline.</source>
        <translation>「%1」のように言葉で説明して写真を探したり、写真をドロップして似た写真を見つけたりできます。

まずは写真のフォルダを追加しましょう。PhotoSearch はこのコンピュータ上でインデックスを作成します。何もアップロードされず、オフラインでも動作します。</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>フォルダを追加…</translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln 枚インデックス済み</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln 件失敗</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>フォルダ</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>フォルダを追加…</translation>
    </message>
    <message>
        <source>Remove the selected folder</source>
        <translation>選択したフォルダを削除</translation>
    </message>
    <message>
        <source>Pause watching the selected folder</source>
        <translation>選択したフォルダの監視を一時停止</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>追加…</translation>
    </message>
    <message>
        <source>Resume watching the selected folder</source>
        <translation>選択したフォルダの監視を再開</translation>
    </message>
</context>
<context>
    <name>IndexPanel</name>
    <message>
        <source>Starting to index…</source>
        <translation>インデックス作成を開始しています…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln 件失敗…</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
</context>
<context>
    <name>IndexPresenter</name>
    <message>
        <source>Indexing cancelled. Photos indexed so far stay searchable.</source>
        <translation>インデックス作成をキャンセルしました。ここまでに作成した写真は引き続き検索できます。</translation>
    </message>
    <message>
        <source>Indexing stopped because of an error.</source>
        <translation>エラーのためインデックス作成が停止しました。</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>PhotoSearch cannot start</source>
        <translation>PhotoSearch を起動できません</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Find &amp;duplicates…</source>
        <translation>重複を探す(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Library</source>
        <translation>ライブラリ(&amp;L)</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>ゴミ箱に移動</translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</source>
        <translation>
            <numerusform>%Ln 枚の写真をゴミ箱に移動しますか？

すぐにライブラリから外れます。ゴミ箱から元に戻すと、ライブラリに再び取り込まれます。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln photo(s) to the trash</source>
        <translation>
            <numerusform>%Ln 枚の写真をゴミ箱に移動しました</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) could not be moved to the trash and were left in place.</source>
        <translation>
            <numerusform>%Ln 枚の写真をゴミ箱に移動できなかったため、元の場所に残しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop an image file or an image from a browser.</source>
        <translation>画像ファイルか、ブラウザの画像をドロップしてください。</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>フォルダを削除</translation>
    </message>
    <message>
        <source>Remove %1 from the library?

Its photos leave the search results. The files themselves are not touched.</source>
        <translation>%1 をライブラリから削除しますか？

その写真は検索結果に表示されなくなります。ファイル自体には手を加えません。</translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation>写真のフォルダを追加</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>設定を保存しました</translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation>新しい言語は PhotoSearch の次回起動時に適用されます。</translation>
    </message>
    <message>
        <source>Face data deleted; finding faces is off</source>
        <translation>顔データを削除しました。顔の検出はオフです</translation>
    </message>
    <message>
        <source>Find photos by describing them</source>
        <translation>言葉で説明して写真を探す</translation>
    </message>
    <message>
        <source>Type what you are looking for above, like “%1”. Or drop a photo on this window (or paste one with Ctrl+V) to find similar ones.</source>
        <translation>探したいものを上に入力してください（例:「%1」）。写真をこのウィンドウにドロップ（または Ctrl+V で貼り付け）すると、似た写真を探せます。</translation>
    </message>
    <message>
        <source>Getting ready…</source>
        <translation>準備しています…</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>一致する写真はありません</translation>
    </message>
    <message>
        <source>Cannot search</source>
        <translation>検索できません</translation>
    </message>
    <message>
        <source>Opening your library…</source>
        <translation>ライブラリを開いています…</translation>
    </message>
    <message>
        <source>PhotoSearch cannot open the library</source>
        <translation>PhotoSearch はライブラリを開けません</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>モデルのあるフォルダを選択</translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <source>On the Crossmodal-3600 benchmark it finds the right photo first for %1 of Chinese queries; the English model for %2.</source>
        <translation>Crossmodal-3600 ベンチマークでは、中国語の検索の %1 で正しい写真を最初に見つけます（英語モデルは %2）。</translation>
    </message>
    <message>
        <source>On the Crossmodal-3600 benchmark it finds the right photo first for %1 of queries in 36 languages; the English model for %2.</source>
        <translation>Crossmodal-3600 ベンチマークでは、36 言語の検索の %1 で正しい写真を最初に見つけます（英語モデルは %2）。</translation>
    </message>
    <message>
        <source>Your computer is set to %1. The standard model understands English only; the multilingual model (%2 languages, about %3) lets you search in your language.</source>
        <translation>このコンピューターは%1に設定されています。標準モデルは英語しか理解しません。多言語モデル（%2 言語、約 %3）なら、あなたの言語で検索できます。</translation>
    </message>
    <message>
        <source>Use the multilingual model</source>
        <translation>多言語モデルを使う</translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop the download; it can start again later</source>
        <translation>ダウンロードを中止します。後でやり直せます</translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation>モデルのフォルダを選択…</translation>
    </message>
    <message>
        <source>Use a model already on this computer: a folder with open_clip_config.json and the weights file</source>
        <translation>このコンピュータにあるモデルを使います: open_clip_config.json と重みファイルを含むフォルダ</translation>
    </message>
    <message>
        <source>Use demo model</source>
        <translation>デモ用モデルを使う</translation>
    </message>
    <message>
        <source>Switch to the small model bundled with PhotoSearch (less accurate, works offline)</source>
        <translation>PhotoSearch に付属の小さなモデルに切り替えます（精度は低め、オフラインで動作）</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>設定…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>詳細をコピー</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>ダウンロードをキャンセルしました。</translation>
    </message>
    <message>
        <source>Download again</source>
        <translation>もう一度ダウンロード</translation>
    </message>
    <message>
        <source>Search is unavailable.</source>
        <translation>検索を利用できません。</translation>
    </message>
</context>
<context>
    <name>ModelPresenter</name>
    <message>
        <source>Model not loaded</source>
        <translation>モデル未読み込み</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>モデルを読み込んでいます…</translation>
    </message>
    <message>
        <source>Loading the model: %1</source>
        <translation>モデルを読み込んでいます: %1</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Close this notice</source>
        <translation>このお知らせを閉じる</translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message>
        <source>People</source>
        <translation>人物</translation>
    </message>
    <message>
        <source>Merge selected</source>
        <translation>選択した人物を統合</translation>
    </message>
    <message>
        <source>The selected people are one person: keep the first</source>
        <translation>選択した人物を同一人物として、最初の人物にまとめます</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>非表示</translation>
    </message>
    <message>
        <source>Show photos</source>
        <translation>写真を表示</translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln photo(s) (double-click to rename)</source>
        <translation>
            <numerusform>%1: %Ln 枚の写真（ダブルクリックで名前を変更）</numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed</source>
        <translation>名前なし</translation>
    </message>
    <message numerus="yes">
        <source>%Ln people. Double-click a name to change it; drag a person onto another (or select two or more and Merge) when they are one person.</source>
        <translation>
            <numerusform>%Ln 人。名前をダブルクリックすると変更できます。同じ人なら、一方をもう一方にドラッグ（または 2 人以上を選んで「統合」）してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>Merge people</source>
        <translation>人物を統合</translation>
    </message>
    <message>
        <source>%1 and %2 will be one person, named %2. A face can be moved out again from the preview (right-click it: Not %2).</source>
        <translation>%1 と %2 は 1 人の人物「%2」になります。顔はあとからプレビューで外せます（右クリック：%2 ではない）。</translation>
    </message>
    <message>
        <source>No people yet: faces are found after indexing (Settings: People).</source>
        <translation>まだ人物はいません。顔はインデックス作成の後に検出されます（設定: 人物）。</translation>
    </message>
</context>
<context>
    <name>PhotoActions</name>
    <message>
        <source>No application could open %1</source>
        <translation>%1 を開けるアプリケーションがありません</translation>
    </message>
    <message>
        <source>No video player could open %1</source>
        <translation>%1 を開ける動画プレーヤーがありません</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>%1 をコピーしました</translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln path(s)</source>
        <translation>
            <numerusform>%Ln 件のパスをコピーしました</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied the image %1</source>
        <translation>画像 %1 をコピーしました</translation>
    </message>
    <message>
        <source>Copying %1…</source>
        <translation>%1 をコピーしています…</translation>
    </message>
</context>
<context>
    <name>PreviewImage</name>
    <message>
        <source>Not %1</source>
        <translation>%1 ではない</translation>
    </message>
    <message>
        <source>Move this face out of %1; it will never be put back</source>
        <translation>この顔を %1 から外します。今後また戻されることはありません</translation>
    </message>
    <message>
        <source>Not this person</source>
        <translation>この人ではない</translation>
    </message>
    <message>
        <source>Move this face out of its person; it will never be put back</source>
        <translation>この顔を今の人物から外します。今後また戻されることはありません</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Unnamed person (name them in People)</source>
        <translation>名前のない人物（「人物」で名前を付けられます）</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>パス:</translation>
    </message>
    <message>
        <source>Taken:</source>
        <translation>撮影日時:</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>カメラ:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>サイズ:</translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation>寸法:</translation>
    </message>
    <message>
        <source>Score:</source>
        <translation>スコア:</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>場所を表示</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>パスをコピー</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>画像をコピー</translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation>似た写真を探す</translation>
    </message>
    <message>
        <source>Drag the photo out to another app</source>
        <translation>写真をほかのアプリにドラッグできます</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>ファイルマネージャで表示</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Text in the photo</source>
        <translation>写真の中の文字</translation>
    </message>
    <message>
        <source>What the photo says, read by text recognition</source>
        <translation>文字認識で読み取った写真の中の文字</translation>
    </message>
    <message>
        <source>Select a photo to preview it</source>
        <translation>写真を選択するとプレビューします</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込んでいます…</translation>
    </message>
    <message>
        <source>matcher %1% sure it fits the query</source>
        <translation>照合モデルによる一致の確信度 %1%</translation>
    </message>
    <message>
        <source>Play from %1</source>
        <translation>%1 から再生</translation>
    </message>
    <message>
        <source>Play motion</source>
        <translation>動きを再生</translation>
    </message>
    <message>
        <source>Opens a video player at this moment (mpv, VLC, IINA...; else the system&apos;s player from the start)</source>
        <translation>この場面から動画プレーヤーで開きます（mpv、VLC、IINA など。なければシステムのプレーヤーで最初から）</translation>
    </message>
    <message>
        <source>Cannot show this photo:</source>
        <translation>この写真を表示できません:</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Score: %1</source>
        <translation>スコア: %1</translation>
    </message>
    <message>
        <source>Found by the text in the photo</source>
        <translation>写真の中の文字で見つかりました</translation>
    </message>
    <message>
        <source>Taken: %1</source>
        <translation>撮影日時: %1</translation>
    </message>
    <message>
        <source>Camera: %1</source>
        <translation>カメラ: %1</translation>
    </message>
    <message>
        <source>Video, %1 long; best moment at %2</source>
        <translation>動画（長さ %1）。いちばん合う場面は %2</translation>
    </message>
    <message>
        <source>Offline: the drive holding this photo is not connected</source>
        <translation>オフライン: この写真のあるドライブが接続されていません</translation>
    </message>
    <message>
        <source>No thumbnail: %1</source>
        <translation>サムネイルなし: %1</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Find similar</source>
        <translation>似た写真を探す</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>ファイルマネージャで表示</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>パスをコピー</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>画像をコピー</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Describe a photo, e.g. “%1”, or drop a photo here</source>
        <translation>写真を言葉で説明（例:「%1」）するか、ここに写真をドロップ</translation>
    </message>
    <message>
        <source>Best match first</source>
        <translation>一致度の高い順</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>新しい順</translation>
    </message>
    <message>
        <source>Sort results by relevance or by the date taken</source>
        <translation>結果を一致度または撮影日で並べ替え</translation>
    </message>
    <message>
        <source>Best matches only</source>
        <translation>よく一致するものだけ</translation>
    </message>
    <message>
        <source>Hide the long tail of weak matches. The cut-off adapts to each query&apos;s scores.</source>
        <translation>一致度の低い結果を隠します。境界は検索ごとのスコアに合わせて調整されます。</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>フィルタ</translation>
    </message>
    <message>
        <source>Filter by folder, date and camera</source>
        <translation>フォルダ・日付・カメラで絞り込み</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人物</translation>
    </message>
    <message>
        <source>The people found in your photos (Ctrl+Shift+P)</source>
        <translation>写真に写っている人物（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
</context>
<context>
    <name>SearchPresenter</name>
    <message>
        <source>downloading the reranking model: %1…</source>
        <translation>再ランク付けモデルをダウンロードしています: %1…</translation>
    </message>
    <message>
        <source>preparing the reranking model for this computer (once, a few minutes)…</source>
        <translation>このコンピューター用に再ランク付けモデルを準備しています（初回のみ、数分）…</translation>
    </message>
    <message>
        <source>Loading the model… your search runs as soon as it is ready.</source>
        <translation>モデルを読み込んでいます… 準備ができるとすぐに検索します。</translation>
    </message>
    <message>
        <source>%1 like %2</source>
        <comment>12 photos and 3 videos like IMG_1.jpg</comment>
        <translation>%2 に似た%1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) like %1</source>
        <translation>
            <numerusform>%1 に似た写真 %Ln 枚</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 for “%2”</source>
        <comment>12 photos and 3 videos for “beach”</comment>
        <translation>「%2」の%1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) for “%1”</source>
        <translation>
            <numerusform>「%1」の写真 %Ln 枚</numerusform>
        </translation>
    </message>
    <message>
        <source>refining the order…</source>
        <translation>並び順を調整しています…</translation>
    </message>
    <message>
        <source>loading the reranking model…</source>
        <translation>再ランク付けモデルを読み込んでいます…</translation>
    </message>
    <message>
        <source>refined in %1</source>
        <translation>%1 で並び順を調整</translation>
    </message>
    <message>
        <source>not refined: the reranking model is unavailable</source>
        <translation>並び順は未調整: 再ランク付けモデルを利用できません</translation>
    </message>
    <message>
        <source>not refined (the reranking failed)</source>
        <translation>並び順は未調整（再ランク付けに失敗）</translation>
    </message>
    <message>
        <source>No photos match.</source>
        <translation>一致する写真はありません。</translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only” or clear the filters.</source>
        <translation>「よく一致するものだけ」をオフにするか、フィルタをクリアしてみてください。</translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only”.</source>
        <translation>「よく一致するものだけ」をオフにしてみてください。</translation>
    </message>
    <message>
        <source>Try to clear the filters.</source>
        <translation>フィルタをクリアしてみてください。</translation>
    </message>
    <message>
        <source>The search failed.</source>
        <translation>検索に失敗しました。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>the tiny model bundled with PhotoSearch (14 MB, for trying it out)</source>
        <translation>PhotoSearch に付属の小さなモデル（14 MB、お試し用）</translation>
    </message>
    <message>
        <source>a good general model (about 600 MB, downloaded once on first use)</source>
        <translation>汎用の優れたモデル（約 600 MB、初回使用時に一度だけダウンロード）</translation>
    </message>
    <message>
        <source>%1 languages</source>
        <translation>%1 言語</translation>
    </message>
    <message>
        <source>a multilingual model (%1, about %2, downloaded once)</source>
        <translation>多言語モデル（%1、約 %2、ダウンロードは一度だけ）</translation>
    </message>
    <message>
        <source>; finds the right photo first for %1 of Chinese and %2 of English queries (Crossmodal-3600)</source>
        <translation>。中国語の検索の %1、英語の検索の %2 で正しい写真を最初に見つけます（Crossmodal-3600）</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>自動（推奨）</translation>
    </message>
    <message>
        <source>ONNX Runtime on the CPU, PyTorch on a GPU</source>
        <translation>CPU では ONNX Runtime、GPU では PyTorch</translation>
    </message>
    <message>
        <source>Always ONNX Runtime, on the CPU: searches start fastest; each model is converted once, on first use, and checked against the original</source>
        <translation>常に CPU 上の ONNX Runtime：検索の開始が最も速くなります。各モデルは初回使用時に一度だけ変換され、元のモデルと照合されます</translation>
    </message>
    <message>
        <source>Always PyTorch (open_clip), the original model: on a GPU, or on the CPU as the reference; slower to start</source>
        <translation>常に PyTorch（open_clip）、つまり元のモデル：GPU で、または CPU 上で基準として実行します。起動は遅めです</translation>
    </message>
    <message>
        <source>PyTorch is not part of this edition of PhotoSearch: the lean edition runs models on ONNX Runtime only.</source>
        <translation>この PhotoSearch のエディションには PyTorch が含まれていません。軽量版はモデルを ONNX Runtime だけで実行します。</translation>
    </message>
    <message>
        <source>Deletes every face, person, name and correction from this library and switches finding faces off. Names are not kept; this cannot be undone.</source>
        <translation>このライブラリのすべての顔・人物・名前・修正を削除し、顔の検出をオフにします。名前は残りません。元に戻すことはできません。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>An open_clip ARCH/PRETRAINED pair, hf-hub:ORG/REPO, local-dir:/path/to/folder, or “demo”</source>
        <translation>open_clip の ARCH/PRETRAINED の組、hf-hub:ORG/REPO、local-dir:/フォルダ/のパス、または「demo」</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>Use a model folder on this computer (open_clip_config.json and the weights file)</source>
        <translation>このコンピュータにあるモデルのフォルダを使う（open_clip_config.json と重みファイル）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Re-rank the best results with a second, more precise model</source>
        <translation>上位の結果を、より精密な 2 つ目のモデルで並べ替える</translation>
    </message>
    <message>
        <source>Automatic: the demo matcher with the demo model, else Salesforce/blip-itm-base-coco</source>
        <translation>自動: デモ用モデルならデモ用照合モデル、それ以外は Salesforce/blip-itm-base-coco</translation>
    </message>
    <message>
        <source>A BLIP image-text matching model: a Hugging Face repo (downloaded once, about 900 MB for blip-itm-base-coco), local-dir:/path/to/folder, or “demo”</source>
        <translation>BLIP の画像とテキストの照合モデル: Hugging Face のリポジトリ（一度だけダウンロード。blip-itm-base-coco は約 900 MB）、local-dir:/フォルダ/のパス、または「demo」</translation>
    </message>
    <message>
        <source>Automatic (10 on a CPU, 50 on a GPU)</source>
        <translation>自動（CPU では 10 枚、GPU では 50 枚）</translation>
    </message>
    <message>
        <source> photos</source>
        <translation> 枚</translation>
    </message>
    <message>
        <source>How many of the best results the second model reorders: more is slower</source>
        <translation>2 つ目のモデルで並べ替える上位の結果の数。多いほど時間がかかります</translation>
    </message>
    <message>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>After indexing, the reranking model reads this many of your most recent photos in the background, so that reranking them is quick (about 1 MB of disk each with the default model)</source>
        <translation>インデックス作成の後、再ランク付けモデルが最新の写真をこの枚数だけバックグラウンドで読み込み、それらの再ランク付けを速くします（既定のモデルで 1 枚あたり約 1 MB のディスクを使います）</translation>
    </message>
    <message>
        <source>One pattern per line, e.g.
*/.thumbnails/*
*.psd</source>
        <translation>1 行に 1 パターン。例:
*/.thumbnails/*
*.psd</translation>
    </message>
    <message>
        <source>https://huggingface.co (or a mirror, e.g. https://hf-mirror.com)</source>
        <translation>https://huggingface.co（またはミラー。例：https://hf-mirror.com）</translation>
    </message>
    <message>
        <source>Where models are downloaded from. If huggingface.co is blocked where you are, enter a mirror such as https://hf-mirror.com</source>
        <translation>モデルのダウンロード元です。お住まいの地域で huggingface.co に接続できない場合は、https://hf-mirror.com などのミラーを入力してください</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>モデル:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状態:</translation>
    </message>
    <message>
        <source>Model server:</source>
        <translation>モデルサーバー:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>デバイス:</translation>
    </message>
    <message>
        <source>Runtime:</source>
        <translation>ランタイム:</translation>
    </message>
    <message>
        <source>Reranking:</source>
        <translation>再ランク付け:</translation>
    </message>
    <message>
        <source>Reranking model:</source>
        <translation>再ランク付けモデル:</translation>
    </message>
    <message>
        <source>Reorder the top:</source>
        <translation>並べ替える上位:</translation>
    </message>
    <message>
        <source>Prepare the most recent:</source>
        <translation>最新の写真を準備:</translation>
    </message>
    <message>
        <source>Thumbnail cache:</source>
        <translation>サムネイルキャッシュ:</translation>
    </message>
    <message>
        <source>Exclude:</source>
        <translation>除外:</translation>
    </message>
    <message>
        <source>Find faces and group them into people</source>
        <translation>顔を検出して人物ごとにまとめる</translation>
    </message>
    <message>
        <source>Faces are found on this computer only, after indexing</source>
        <translation>顔の検出はインデックス作成の後、このコンピュータ上だけで行います</translation>
    </message>
    <message>
        <source>Delete face data…</source>
        <translation>顔データを削除…</translation>
    </message>
    <message>
        <source>People:</source>
        <translation>人物:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <source>The language of PhotoSearch&apos;s window; it changes when PhotoSearch starts again</source>
        <translation>PhotoSearch の画面の言語。次回の起動時に切り替わります</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>言語:</translation>
    </message>
    <message>
        <source>What runs the model. Both give the same results within a cosine of 0.999, so switching needs no re-indexing.</source>
        <translation>モデルを実行するソフトウェアです。どちらもコサイン類似度 0.999 以内で同じ結果になるため、切り替えてもインデックスの作り直しは不要です。</translation>
    </message>
    <message>
        <source>Runs on: …</source>
        <translation>実行環境: …</translation>
    </message>
    <message>
        <source>For each part of the model converted to ONNX: its precision and the lowest cosine similarity of its output to the original (1 = identical)</source>
        <translation>ONNX に変換したモデルの各部分について：その精度と、出力と元のモデルの出力との最小コサイン類似度（1 = 完全に同一）</translation>
    </message>
    <message>
        <source>Runs on: %1</source>
        <translation>実行環境: %1</translation>
    </message>
    <message>
        <source>This session uses “%1” (given with PHOTOSEARCH_RUNTIME); this setting applies when PhotoSearch starts without it.</source>
        <translation>今回は「%1」（PHOTOSEARCH_RUNTIME で指定）を使っています。この設定は、それを指定せずに PhotoSearch を起動したときに適用されます。</translation>
    </message>
    <message>
        <source>The model loads again on the new runtime when you press OK.</source>
        <translation>OK を押すと、新しいランタイムでモデルを読み込み直します。</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>モデルのあるフォルダを選択</translation>
    </message>
    <message>
        <source>“%1” is %2.</source>
        <translation>「%1」は%2です。</translation>
    </message>
    <message>
        <source>Named models are downloaded once into the Hugging Face cache; a local folder or .safetensors file is used as it is.</source>
        <translation>名前で指定したモデルは Hugging Face のキャッシュに一度だけダウンロードされます。ローカルのフォルダや .safetensors ファイルはそのまま使われます。</translation>
    </message>
    <message>
        <source> This session uses “%1” (given with --model or PHOTOSEARCH_MODEL); this setting applies when PhotoSearch starts without it.</source>
        <translation> 今回は「%1」（--model または PHOTOSEARCH_MODEL で指定）を使っています。この設定は、それを指定せずに PhotoSearch を起動したときに適用されます。</translation>
    </message>
    <message>
        <source> The new model loads when you press OK; your photos are then re-indexed.</source>
        <translation> OK を押すと新しいモデルを読み込み、写真のインデックスを作り直します。</translation>
    </message>
    <message>
        <source>Delete face data</source>
        <translation>顔データを削除</translation>
    </message>
    <message>
        <source>Delete it now?</source>
        <translation>今すぐ削除しますか？</translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation>新しい言語は PhotoSearch の次回起動時に適用されます。</translation>
    </message>
</context>
<context>
    <name>SimilarBar</name>
    <message>
        <source>Back to text search (Esc)</source>
        <translation>テキスト検索に戻る（Esc）</translation>
    </message>
    <message>
        <source>Photos similar to %1</source>
        <translation>%1 に似た写真</translation>
    </message>
    <message>
        <source>Looks like: %1</source>
        <translation>見た目: %1</translation>
    </message>
    <message>
        <source>The captions that describe this image best, from your photos&apos; captions, yours and the bundled vocabulary</source>
        <translation>この画像を最もよく表すキャプション（写真のキャプション、あなたのキャプション、付属の語彙から）</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Model: loading…</source>
        <translation>モデル: 読み込み中…</translation>
    </message>
    <message>
        <source>Model: downloading…</source>
        <translation>モデル: ダウンロード中…</translation>
    </message>
    <message>
        <source>Model: download cancelled</source>
        <translation>モデル: ダウンロードをキャンセル</translation>
    </message>
    <message>
        <source>Model: not loaded</source>
        <translation>モデル: 未読み込み</translation>
    </message>
    <message>
        <source>Model: unavailable</source>
        <translation>モデル: 利用不可</translation>
    </message>
    <message>
        <source>Show the files that could not be indexed</source>
        <translation>インデックスを作成できなかったファイルを表示</translation>
    </message>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln 枚インデックス済み</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln waiting</source>
        <translation>
            <numerusform>%Ln 枚待機中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln offline</source>
        <translation>
            <numerusform>%Ln 枚オフライン</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln 件失敗…</numerusform>
        </translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
</context>
<context>
    <name>UnderstoodChips</name>
    <message>
        <source>place %1</source>
        <translation>場所 %1</translation>
    </message>
    <message>
        <source>person %1</source>
        <translation>人物 %1</translation>
    </message>
    <message>
        <source>Understood:</source>
        <translation>解釈:</translation>
    </message>
    <message>
        <source>Remove: search these words as words</source>
        <translation>削除: これらの語を普通の言葉として検索</translation>
    </message>
</context>
<context>
    <name>WatchPresenter</name>
    <message>
        <source>Indexed</source>
        <translation>インデックス作成</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>移動</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>Not watching folders: %1</source>
        <translation>フォルダを監視していません: %1</translation>
    </message>
    <message>
        <source>Watching: %1</source>
        <translation>監視: %1</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message numerus="yes">
        <source>%Ln photo(s)</source>
        <translation>
            <numerusform>%Ln 枚の写真</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln video(s)</source>
        <translation>
            <numerusform>%Ln 本の動画</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <comment>120 photos and 3 videos</comment>
        <translation>%1と%2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln 個のファイル</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln バイト</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown date</source>
        <translation>日付不明</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 時間 %2 分</translation>
    </message>
    <message>
        <source>Scanning folders</source>
        <translation>フォルダをスキャン中</translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation>インデックス作成中</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>保存中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>meaning</source>
        <translation>内容の理解</translation>
    </message>
    <message>
        <source>faces</source>
        <translation>顔</translation>
    </message>
    <message>
        <source>metadata and captions</source>
        <translation>メタデータとキャプション</translation>
    </message>
    <message>
        <source>similar photos</source>
        <translation>似た写真</translation>
    </message>
    <message>
        <source>duplicate detection</source>
        <translation>重複の検出</translation>
    </message>
    <message>
        <source>places</source>
        <translation>場所</translation>
    </message>
    <message>
        <source>text in photos</source>
        <translation>写真の中の文字</translation>
    </message>
    <message>
        <source>reranking features</source>
        <translation>再ランク付けの特徴</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of %Ln photo(s)</source>
        <translation>
            <numerusform>%1: %2 / %Ln 枚</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 photos/s</source>
        <translation>%1 枚/秒</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>まもなく完了</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>残り約 %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reused</source>
        <translation>
            <numerusform>%Ln 枚は既存の結果を再利用</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln 件失敗</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>一時停止中</translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled after %Ln photo(s).</source>
        <translation>
            <numerusform>%Ln 枚の処理後にインデックス作成をキャンセルしました。</numerusform>
        </translation>
    </message>
    <message>
        <source>The library is up to date.</source>
        <translation>ライブラリは最新です。</translation>
    </message>
    <message numerus="yes">
        <source>Indexed %Ln photo(s)</source>
        <translation>
            <numerusform>%Ln 枚の写真のインデックスを作成</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln removed</source>
        <translation>
            <numerusform>%Ln 枚を削除</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in %2.</source>
        <translation>%1（%2）。</translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>%1 (not available in this edition)</source>
        <translation>%1（このエディションでは使えません）</translation>
    </message>
    <message>
        <source>(min. cosine %1)</source>
        <translation>（最小コサイン類似度 %1）</translation>
    </message>
</context>
<context>
    <name>model_messages</name>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Downloading %1 — %2</source>
        <translation>%1 をダウンロード中 — %2</translation>
    </message>
    <message>
        <source>Download cancelled. Searching needs the model “%1”: download it again, choose a folder that holds the model, or use the small demo model.</source>
        <translation>ダウンロードをキャンセルしました。検索にはモデル「%1」が必要です。もう一度ダウンロードするか、モデルのあるフォルダを選ぶか、小さなデモ用モデルを使ってください。</translation>
    </message>
    <message>
        <source>%1 (about %2)</source>
        <translation>%1（約 %2）</translation>
    </message>
    <message>
        <source>If %1 is blocked where you are, enter a mirror such as https://hf-mirror.com as Model server in Settings….</source>
        <translation>お住まいの地域で %1 に接続できない場合は、「設定…」の「モデルサーバー」に https://hf-mirror.com などのミラーを入力してください。</translation>
    </message>
    <message>
        <source>PhotoSearch can&apos;t reach %2 to download the model %1. Connect to the internet and try again, choose a folder that holds the model, or use the small demo model.</source>
        <translation>PhotoSearch はモデル %1 をダウンロードするために %2 に接続できません。インターネットに接続してもう一度試すか、モデルのあるフォルダーを選ぶか、小さなデモモデルを使ってください。</translation>
    </message>
    <message>
        <source>PhotoSearch couldn&apos;t download the model %1 from %2. Try again later, choose a folder that holds the model, or use the small demo model. Copy details tells what went wrong.</source>
        <translation>PhotoSearch は %2 からモデル %1 をダウンロードできませんでした。あとでもう一度試すか、モデルのあるフォルダーを選ぶか、小さなデモモデルを使ってください。「詳細をコピー」で原因がわかります。</translation>
    </message>
    <message>
        <source>There is no model called “%1”. Pick another one in Settings…, choose a folder that holds the model, or use the small demo model.</source>
        <translation>「%1」というモデルはありません。「設定…」で別のモデルを選ぶか、モデルのあるフォルダを選ぶか、小さなデモ用モデルを使ってください。</translation>
    </message>
    <message>
        <source>The graphics processor (GPU) chosen in Settings isn&apos;t available to PyTorch on this computer. Open Settings… and set Device to Automatic or CPU.</source>
        <translation>設定で選んだグラフィックプロセッサ（GPU）は、このコンピュータの PyTorch では使えません。「設定…」を開き、デバイスを「自動」または「CPU」にしてください。</translation>
    </message>
    <message>
        <source>%1 Or use the small demo model.</source>
        <translation>%1 または、小さなデモ用モデルを使ってください。</translation>
    </message>
    <message>
        <source>The model could not be loaded (%1).</source>
        <translation>モデルを読み込めませんでした（%1）。</translation>
    </message>
</context>
</TS>
