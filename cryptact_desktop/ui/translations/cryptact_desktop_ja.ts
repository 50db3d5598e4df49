<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
  <context>
    <name>AssistantWizard</name>
    <message>
      <source>Assistant</source>
      <translation>アシスタント</translation>
    </message>
    <message>
      <source>Syncing {count} key(s): follow the progress in the main window.</source>
      <translation>{count} 件のキーを同期中です。進み具合はメインウィンドウで確認できます。</translation>
    </message>
    <message>
      <source>Syncing {count} key(s)…</source>
      <translation>{count} 件のキーを同期中…</translation>
    </message>
    <message>
      <source>The sync failed ({error}).</source>
      <translation>同期に失敗しました（{error}）。</translation>
    </message>
    <message>
      <source>Synced with problems: {reason}</source>
      <translation>同期しましたが問題があります: {reason}</translation>
    </message>
    <message>
      <source>Synced: {new} new transactions.</source>
      <translation>同期しました: 新しい取引 {new} 件。</translation>
    </message>
  </context>
  <context>
    <name>AttachKeyDialog</name>
    <message>
      <source>Attach an API key to “{label}”</source>
      <translation>「{label}」にAPIキーを紐付け</translation>
    </message>
    <message>
      <source>Paste a read-only {exchange} API key of the same account the files came from. The API then adds what the files do not have; records both have are kept once.</source>
      <translation>ファイルと同じアカウントの、読み取り専用の {exchange} APIキーを貼り付けてください。ファイルにないものをAPIが補い、両方にあるレコードは1回だけ保存されます。</translation>
    </message>
    <message>
      <source>API &amp;site:</source>
      <translation>APIサイト(&amp;S):</translation>
    </message>
    <message>
      <source>API &amp;address:</source>
      <translation>APIアドレス(&amp;A):</translation>
    </message>
    <message>
      <source>Pre-set to just after your files' newest row ({when}).</source>
      <translation>ファイルの最新行（{when}）の直後に設定済みです。</translation>
    </message>
    <message>
      <source>Off: the API fetches everything it still offers.</source>
      <translation>オフ: APIが提供しているすべてを取得します。</translation>
    </message>
    <message>
      <source>Sync from:</source>
      <translation>同期の開始:</translation>
    </message>
    <message>
      <source>&amp;Endpoints:</source>
      <translation>エンドポイント(&amp;E):</translation>
    </message>
    <message>
      <source>&amp;Attach</source>
      <translation>紐付け(&amp;A)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>閉じる</translation>
    </message>
    <message>
      <source>Use https:// (plain http:// only for this computer).</source>
      <translation>https:// を使ってください（http:// はこのコンピューターのみ）。</translation>
    </message>
    <message>
      <source>Enter a valid API address.</source>
      <translation>有効なAPIアドレスを入力してください。</translation>
    </message>
    <message>
      <source>Tick at least one endpoint to sync.</source>
      <translation>同期するエンドポイントに1つ以上チェックを入れてください。</translation>
    </message>
    <message>
      <source>Checking the key with {exchange}…</source>
      <translation>{exchange} でキーを確認中…</translation>
    </message>
    <message>
      <source>{exchange} did not accept this key.</source>
      <translation>{exchange} がこのキーを受け付けませんでした。</translation>
    </message>
    <message>
      <source>This key belongs to {exchange} account UID {key_uid}, but the imported files are from UID {file_uid}. Attaching it mixes two accounts' transactions.</source>
      <translation>このキーは {exchange} のアカウント UID {key_uid} のものですが、インポートしたファイルは UID {file_uid} のものです。紐付けると2つのアカウントの取引が混ざります。</translation>
    </message>
    <message>
      <source>Press “Attach anyway” to continue.</source>
      <translation>続けるには「それでも紐付ける」を押してください。</translation>
    </message>
    <message>
      <source>Attach &amp;anyway</source>
      <translation>それでも紐付ける(&amp;A)</translation>
    </message>
    <message>
      <source>Saving the key…</source>
      <translation>キーを保存中…</translation>
    </message>
  </context>
  <context>
    <name>ConfirmPage</name>
    <message>
      <source>Confirm exchanges</source>
      <translation>取引所の確認</translation>
    </message>
    <message>
      <source>These are the places you will add transactions for. Go back to change them.</source>
      <translation>以下の取引所の取引を追加します。変更するには前の画面に戻ってください。</translation>
    </message>
  </context>
  <context>
    <name>CoverageDialog</name>
    <message>
      <source>Coverage of “{label}”</source>
      <translation>「{label}」のカバー範囲</translation>
    </message>
    <message>
      <source>Which periods of each history type came from imported files, which from the API, and which from neither. Hover a bar for its dates.</source>
      <translation>履歴の種類ごとに、どの期間がインポートしたファイルから、どの期間がAPIから得られ、どの期間がどちらにもないかを示します。バーにカーソルを合わせると日付が表示されます。</translation>
    </message>
  </context>
  <context>
    <name>CoverageTimeline</name>
    <message>
      <source>From files</source>
      <translation>ファイルから</translation>
    </message>
    <message>
      <source>From the API</source>
      <translation>APIから</translation>
    </message>
    <message>
      <source>Files and API</source>
      <translation>ファイルとAPI</translation>
    </message>
    <message>
      <source>Neither (a gap)</source>
      <translation>どちらもなし（欠落）</translation>
    </message>
    <message>
      <source>Gap the API can no longer reach: import a file</source>
      <translation>APIでは取得できなくなった欠落: ファイルをインポートしてください</translation>
    </message>
    <message>
      <source>Nothing fetched or imported yet.</source>
      <translation>まだ何も取得・インポートされていません。</translation>
    </message>
    <message>
      <source>{endpoint}: {source}
{start} to {end} UTC</source>
      <translation>{endpoint}: {source}
{start} 〜 {end} UTC</translation>
    </message>
  </context>
  <context>
    <name>CredentialForm</name>
    <message>
      <source>unchanged</source>
      <translation>変更なし</translation>
    </message>
    <message>
      <source>Paste the {field} from {exchange}</source>
      <translation>{exchange} の{field}を貼り付け</translation>
    </message>
    <message>
      <source>{label}:</source>
      <translation>{label}:</translation>
    </message>
    <message>
      <source>{label} (optional):</source>
      <translation>{label}（任意）:</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>表示</translation>
    </message>
    <message>
      <source>Show the secret key</source>
      <translation>シークレットキーを表示</translation>
    </message>
    <message>
      <source>Show or hide the secret key</source>
      <translation>シークレットキーの表示／非表示</translation>
    </message>
    <message>
      <source>Hide</source>
      <translation>隠す</translation>
    </message>
    <message>
      <source>Hide the secret key</source>
      <translation>シークレットキーを隠す</translation>
    </message>
  </context>
  <context>
    <name>DemoSession</name>
    <message>
      <source>Demo exchange (this computer)</source>
      <translation>デモ取引所（このコンピューター）</translation>
    </message>
    <message>
      <source>Demo mode: paste this simulated read-only key of the demo exchange.</source>
      <translation>デモモード: デモ取引所の模擬読み取り専用キーを貼り付けてください。</translation>
    </message>
    <message>
      <source>Paste the &amp;demo key</source>
      <translation>デモキーを貼り付け(&amp;D)</translation>
    </message>
    <message>
      <source>Demo mode: try a sample {exchange} export file.</source>
      <translation>デモモード: {exchange} のサンプルのエクスポートファイルを試せます。</translation>
    </message>
    <message>
      <source>Use the &amp;sample file</source>
      <translation>サンプルファイルを使う(&amp;S)</translation>
    </message>
  </context>
  <context>
    <name>EndpointPicker</name>
    <message>
      <source>Select &amp;all</source>
      <translation>すべて選択(&amp;A)</translation>
    </message>
    <message>
      <source>Select &amp;none</source>
      <translation>選択を解除(&amp;N)</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <source>Export Cryptact file</source>
      <translation>クリプタクト用ファイルをエクスポート</translation>
    </message>
    <message>
      <source>Writes your stored transactions as a Cryptact custom file. Upload it on Cryptact under “Custom file” with the same time zone you choose here.</source>
      <translation>保存済みの取引をクリプタクトのカスタムファイルとして書き出します。クリプタクトの「カスタムファイル」から、ここで選ぶのと同じタイムゾーンでアップロードしてください。</translation>
    </message>
    <message>
      <source>&amp;Time zone:</source>
      <translation>タイムゾーン(&amp;T):</translation>
    </message>
    <message>
      <source>&amp;Everything</source>
      <translation>すべて(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Only new since the last export ({when})</source>
      <translation>前回のエクスポート（{when}）以降の新しい取引のみ(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Only new since the last export (no export yet)</source>
      <translation>前回のエクスポート以降の新しい取引のみ（まだエクスポートしていません）(&amp;O)</translation>
    </message>
    <message>
      <source>Transactions:</source>
      <translation>取引:</translation>
    </message>
    <message>
      <source>The currency Cryptact values rows in that it prices itself</source>
      <translation>クリプタクトが自ら価格を付ける行の評価通貨</translation>
    </message>
    <message>
      <source>&amp;Fiat currency:</source>
      <translation>法定通貨(&amp;F):</translation>
    </message>
    <message>
      <source>&amp;Browse…</source>
      <translation>参照(&amp;B)…</translation>
    </message>
    <message>
      <source>&amp;Save to:</source>
      <translation>保存先(&amp;S):</translation>
    </message>
    <message>
      <source>Do not upload this file for an exchange you also connected by API inside Cryptact: Cryptact would then count its transactions twice. This file holds: {venues}. For such an exchange, remove its API connection in Cryptact (or export the other exchanges only).</source>
      <translation>クリプタクト内でもAPI連携している取引所については、このファイルをアップロードしないでください。取引が二重に計上されます。このファイルに含まれる取引所: {venues}。該当する取引所があれば、クリプタクトでそのAPI連携を解除してください（または他の取引所だけをエクスポートしてください）。</translation>
    </message>
    <message>
      <source>E&amp;xport</source>
      <translation>エクスポート(&amp;X)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>Classify transfers…</source>
      <translation>送金を分類…</translation>
    </message>
    <message>
      <source>Say what each outgoing transfer that matches none of your keys or wallets was</source>
      <translation>自分のキーやウォレットのどれとも一致しない送金について、それぞれの内容を指定します</translation>
    </message>
    <message>
      <source>Save the Cryptact file as</source>
      <translation>クリプタクト用ファイルの保存先</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSVファイル (*.csv)</translation>
    </message>
    <message>
      <source>Choose where to save the file.</source>
      <translation>ファイルの保存先を選んでください。</translation>
    </message>
    <message>
      <source>The folder {folder} does not exist.</source>
      <translation>フォルダー {folder} が存在しません。</translation>
    </message>
    <message>
      <source>Writing {file}…</source>
      <translation>{file} を書き出し中…</translation>
    </message>
    <message>
      <source>The file could not be written: {reason}</source>
      <translation>ファイルを書き出せませんでした: {reason}</translation>
    </message>
    <message>
      <source>The export failed ({error}).</source>
      <translation>エクスポートに失敗しました（{error}）。</translation>
    </message>
    <message>
      <source>Saved {file}.</source>
      <translation>{file} を保存しました。</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完了</translation>
    </message>
    <message>
      <source>Nothing to export: no file was written.</source>
      <translation>エクスポートするものがありません。ファイルは作成されませんでした。</translation>
    </message>
    <message>
      <source>The file was not written: {count} rows would not pass Cryptact's checks.</source>
      <translation>ファイルは書き出されませんでした: {count} 行がクリプタクトのチェックを通りません。</translation>
    </message>
  </context>
  <context>
    <name>FileDetails</name>
    <message>
      <source>Type:</source>
      <translation>種類:</translation>
    </message>
    <message>
      <source>Period:</source>
      <translation>期間:</translation>
    </message>
    <message>
      <source>Rows:</source>
      <translation>行数:</translation>
    </message>
    <message>
      <source>Time zone of the file's times</source>
      <translation>ファイル内の日時のタイムゾーン</translation>
    </message>
    <message>
      <source>&amp;Time zone:</source>
      <translation>タイムゾーン(&amp;T):</translation>
    </message>
    <message>
      <source>&amp;Day first (31/12/2024)</source>
      <translation>日が先(&amp;D)（31/12/2024）</translation>
    </message>
    <message>
      <source>&amp;Month first (12/31/2024)</source>
      <translation>月が先(&amp;M)（12/31/2024）</translation>
    </message>
    <message>
      <source>Dates:</source>
      <translation>日付:</translation>
    </message>
    <message>
      <source>Import into</source>
      <translation>インポート先</translation>
    </message>
    <message>
      <source>Import &amp;into:</source>
      <translation>インポート先(&amp;I):</translation>
    </message>
    <message>
      <source>Unknown until the date order is chosen</source>
      <translation>日付の順序を選ぶまで不明</translation>
    </message>
    <message>
      <source>{type} — UID {uid}</source>
      <translation>{type} — UID {uid}</translation>
    </message>
    <message>
      <source>{start} to {end} (UTC)</source>
      <translation>{start} 〜 {end}（UTC）</translation>
    </message>
    <message>
      <source>{rows} rows → {records} records ({skipped} skipped)</source>
      <translation>{rows} 行 → {records} 件のレコード（スキップ {skipped} 件）</translation>
    </message>
    <message>
      <source>The file states its times are in {zone}.</source>
      <translation>ファイルには日時が {zone} であると記載されています。</translation>
    </message>
    <message>
      <source>The file does not say which zone its times are in; {exchange} exports use UTC.</source>
      <translation>ファイルに日時のタイムゾーンの記載がありません。{exchange} のエクスポートは UTC です。</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <source>Upload a {exchange} file</source>
      <translation>{exchange} のファイルをアップロード</translation>
    </message>
    <message>
      <source>Add transactions from a file</source>
      <translation>ファイルから取引を追加</translation>
    </message>
    <message>
      <source>Choose a file you downloaded from the exchange (its trade history, transaction log, or deposits and withdrawals). It is checked first; nothing is imported if any row has a problem, and records the API already delivered are not added twice.</source>
      <translation>取引所からダウンロードしたファイル（取引履歴、取引ログ、入出金履歴）を選んでください。先にチェックし、問題のある行が1つでもあれば何もインポートしません。APIで取得済みのレコードが二重に追加されることはありません。</translation>
    </message>
    <message>
      <source>No file chosen</source>
      <translation>ファイルが選択されていません</translation>
    </message>
    <message>
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <source>&amp;Choose file…</source>
      <translation>ファイルを選択(&amp;C)…</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>メッセージ</translation>
    </message>
    <message>
      <source>Rows</source>
      <translation>行</translation>
    </message>
    <message>
      <source>&amp;Import</source>
      <translation>インポート(&amp;I)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>Choose an exchange file</source>
      <translation>取引所のファイルを選択</translation>
    </message>
    <message>
      <source>Exchange files (*.csv *.txt);;All files (*)</source>
      <translation>取引所のファイル (*.csv *.txt);;すべてのファイル (*)</translation>
    </message>
    <message>
      <source>Importing {file}…</source>
      <translation>{file} をインポート中…</translation>
    </message>
    <message>
      <source>Reading {file}…</source>
      <translation>{file} を読み込み中…</translation>
    </message>
    <message>
      <source>The file could not be read ({error}).</source>
      <translation>ファイルを読み込めませんでした（{error}）。</translation>
    </message>
    <message>
      <source>Expected one of: {types}</source>
      <translation>次のいずれかが必要です: {types}</translation>
    </message>
    <message>
      <source>This is a {found} file, but a {expected} file was expected.</source>
      <translation>これは{found}のファイルですが、{expected}のファイルが必要です。</translation>
    </message>
    <message>
      <source>{count} rows have problems (listed below by problem). Nothing can be imported until the file is fixed or downloaded again.</source>
      <translation>{count} 行に問題があります（下に問題ごとに表示）。ファイルを修正するか再ダウンロードするまでインポートできません。</translation>
    </message>
    <message>
      <source>The import failed ({error}). Nothing was imported.</source>
      <translation>インポートに失敗しました（{error}）。何もインポートされていません。</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>完了</translation>
    </message>
    <message>
      <source>Problems — nothing is imported until they are fixed</source>
      <translation>問題 — 解決するまで何もインポートされません</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>注記</translation>
    </message>
    <message>
      <source>{count} rows: {rows}</source>
      <translation>{count} 行: {rows}</translation>
    </message>
    <message>
      <source>Examples: {values}</source>
      <translation>例: {values}</translation>
    </message>
  </context>
  <context>
    <name>KeyCommands</name>
    <message>
      <source>Key saved. Press Sync to fetch its history.</source>
      <translation>キーを保存しました。「同期」を押すと履歴を取得します。</translation>
    </message>
    <message>
      <source>Wait for the sync to finish (or cancel it) first.</source>
      <translation>先に同期が終わるまで待つか、同期をキャンセルしてください。</translation>
    </message>
    <message>
      <source>Stopping the sync, then removing the key…</source>
      <translation>同期を止めてからキーを削除しています…</translation>
    </message>
    <message>
      <source>Key not removed</source>
      <translation>キーを削除できませんでした</translation>
    </message>
    <message>
      <source>Key removed.</source>
      <translation>キーを削除しました。</translation>
    </message>
    <message>
      <source>This account only has imported files: attach an API key to sync it.</source>
      <translation>このアカウントにはインポートしたファイルしかありません。同期するにはAPIキーを紐付けてください。</translation>
    </message>
    <message>
      <source>Nothing to sync: every key is paused.</source>
      <translation>同期するものがありません: すべてのキーが一時停止中です。</translation>
    </message>
    <message>
      <source>Cancelling… what was fetched so far is kept.</source>
      <translation>キャンセル中… 取得済みのデータは保持されます。</translation>
    </message>
    <message>
      <source>Syncing {key}…</source>
      <translation>{key} を同期中…</translation>
    </message>
    <message>
      <source>{key}: sync cancelled ({new} new transactions kept).</source>
      <translation>{key}: 同期をキャンセルしました（新しい取引 {new} 件は保持）。</translation>
    </message>
    <message>
      <source>{key}: synced, {new} new transactions.</source>
      <translation>{key}: 同期しました。新しい取引 {new} 件。</translation>
    </message>
    <message>
      <source>see the key's rows</source>
      <translation>キーの行を確認してください</translation>
    </message>
    <message>
      <source>{key}: sync failed — {reason}</source>
      <translation>{key}: 同期に失敗しました — {reason}</translation>
    </message>
  </context>
  <context>
    <name>KeyDialog</name>
    <message>
      <source>Give the key a label, e.g. “{exchange}”.</source>
      <translation>キーにラベルを付けてください（例:「{exchange}」）。</translation>
    </message>
    <message>
      <source>Tick at least one endpoint to sync.</source>
      <translation>同期するエンドポイントに1つ以上チェックを入れてください。</translation>
    </message>
    <message>
      <source>This field is required.</source>
      <translation>この項目は必須です。</translation>
    </message>
    <message>
      <source>{exchange} did not accept this key</source>
      <translation>{exchange} がこのキーを受け付けませんでした</translation>
    </message>
    <message>
      <source>Check that the key was copied whole, then try again.</source>
      <translation>キーが欠けずにコピーされているか確認して、もう一度お試しください。</translation>
    </message>
    <message>
      <source>Paste a key of the account this key reads, or edit “{label}” instead: two keys of one account would fetch and count everything twice.</source>
      <translation>このキーが読み取るアカウントのキーを貼り付けるか、代わりに「{label}」を編集してください。1つのアカウントに2つのキーがあると、すべてを二重に取得・計上してしまいます。</translation>
    </message>
    <message>
      <source>Press “Replace key” to give “{label}” this API key instead (its history and settings are kept), or Cancel: two keys of one account would fetch and count everything twice.</source>
      <translation>代わりに「{label}」にこのAPIキーを設定するには「キーを差し替え」を押してください（履歴と設定は保持されます）。やめる場合は「キャンセル」を押してください。1つのアカウントに2つのキーがあると、すべてを二重に取得・計上してしまいます。</translation>
    </message>
    <message>
      <source>Press “Save anyway” to keep this key, or paste a read-only key instead.</source>
      <translation>このキーを保存するには「それでも保存」を押すか、代わりに読み取り専用のキーを貼り付けてください。</translation>
    </message>
    <message>
      <source>Submit again to replace its API key instead.</source>
      <translation>もう一度「送信」を押すと、代わりにそのキーのAPIキーを差し替えます。</translation>
    </message>
    <message>
      <source>Check cancelled. Nothing was saved.</source>
      <translation>確認をキャンセルしました。何も保存されていません。</translation>
    </message>
    <message>
      <source>Submit</source>
      <translation>送信</translation>
    </message>
    <message>
      <source>Replace key</source>
      <translation>キーを差し替え</translation>
    </message>
    <message>
      <source>Save anyway</source>
      <translation>それでも保存</translation>
    </message>
    <message>
      <source>Checking the key with {exchange}…</source>
      <translation>{exchange} でキーを確認中…</translation>
    </message>
    <message>
      <source>Stop checking the key</source>
      <translation>キーの確認を中止</translation>
    </message>
    <message>
      <source>Saving the key…</source>
      <translation>キーを保存中…</translation>
    </message>
    <message>
      <source>Enter the API address, for example https://api.example.com.</source>
      <translation>APIアドレスを入力してください（例: https://api.example.com）。</translation>
    </message>
    <message>
      <source>Use https:// (plain http:// is allowed only for this computer, e.g. http://127.0.0.1).</source>
      <translation>https:// を使ってください（http:// はこのコンピューターのみ。例: http://127.0.0.1）。</translation>
    </message>
    <message>
      <source>The address must start with https://.</source>
      <translation>アドレスは https:// で始めてください。</translation>
    </message>
    <message>
      <source>This is not a valid web address.</source>
      <translation>有効なWebアドレスではありません。</translation>
    </message>
    <message>
      <source>Use that key (Edit key to give it new credentials), or remove it first: two keys of one account would fetch and count everything twice.</source>
      <translation>そのキーを使うか（新しい認証情報は「キーを編集」で設定します）、先にそのキーを削除してください。1つのアカウントに2つのキーがあると、すべてを二重に取得・計上してしまいます。</translation>
    </message>
    <message>
      <source>Something unexpected went wrong ({error})</source>
      <translation>予期しない問題が発生しました（{error}）</translation>
    </message>
    <message>
      <source>Try again; if it keeps happening, send the app's log to support.</source>
      <translation>もう一度お試しください。繰り返し発生する場合は、アプリのログをサポートに送ってください。</translation>
    </message>
  </context>
  <context>
    <name>KeyForm</name>
    <message>
      <source>Add wallet for {exchange}</source>
      <translation>{exchange} のウォレットを追加</translation>
    </message>
    <message>
      <source>Edit wallet for {exchange}</source>
      <translation>{exchange} のウォレットを編集</translation>
    </message>
    <message>
      <source>Add key for {exchange}</source>
      <translation>{exchange} のキーを追加</translation>
    </message>
    <message>
      <source>Edit key for {exchange}</source>
      <translation>{exchange} のキーを編集</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>閉じる</translation>
    </message>
    <message>
      <source>Paste a {exchange} address, or your wallet app's extended public key to read every address of the account. Nothing here can spend your coins: the app only reads the public history from the server below. An optional API key of the data provider is kept in your system keyring.</source>
      <translation>{exchange} のアドレスを貼り付けてください。アカウントのすべてのアドレスを読み取るには、ウォレットアプリの拡張公開鍵を貼り付けます。ここで入力するものでコインが使われることはありません。アプリは下のサーバーから公開されている履歴を読み取るだけです。データ提供元のAPIキー（任意）はシステムのキーリングに保管されます。</translation>
    </message>
    <message>
      <source>Change the wallet's settings, or paste another address or extended public key to replace it.</source>
      <translation>ウォレットの設定を変更するか、別のアドレスまたは拡張公開鍵を貼り付けて差し替えてください。</translation>
    </message>
    <message>
      <source>Create a read-only API key on {exchange} and paste it below. The app checks the key with {exchange} before saving it; the secret is kept in your system keyring, never in the app's database.</source>
      <translation>{exchange} で読み取り専用のAPIキーを作成し、下に貼り付けてください。保存する前にアプリが {exchange} でキーを確認します。シークレットはシステムのキーリングに保管され、アプリのデータベースには保存されません。</translation>
    </message>
    <message>
      <source>Change the key's settings, or paste a new API key and secret to replace the current one. The stored secret is never shown.</source>
      <translation>キーの設定を変更するか、新しいAPIキーとシークレットを貼り付けて現在のものと差し替えます。保存済みのシークレットは表示されません。</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>ラベル</translation>
    </message>
    <message>
      <source>A name for this wallet, e.g. Cold wallet</source>
      <translation>このウォレットの名前（例: コールドウォレット）</translation>
    </message>
    <message>
      <source>A name for this key, e.g. {exchange} main</source>
      <translation>このキーの名前（例: {exchange} メイン）</translation>
    </message>
    <message>
      <source>&amp;Label:</source>
      <translation>ラベル(&amp;L):</translation>
    </message>
    <message>
      <source>The current address ({hint}) stays unless you paste another one; it is checked with the server before it replaces it.</source>
      <translation>別のアドレスを貼り付けない限り、現在のアドレス（{hint}）のままです。貼り付けたアドレスは、差し替える前にサーバーで確認します。</translation>
    </message>
    <message>
      <source>The current key ({hint}) stays unless you paste a new key and secret; they are checked with {exchange} before they replace it.</source>
      <translation>新しいキーとシークレットを貼り付けない限り、現在のキー（{hint}）のままです。差し替える前に {exchange} で確認します。</translation>
    </message>
    <message>
      <source>Subaccount name</source>
      <translation>サブアカウント名</translation>
    </message>
    <message>
      <source>Most users leave this blank — fill it in only if you use sub-accounts</source>
      <translation>通常は空欄のままにします — サブアカウントを使う場合のみ入力してください</translation>
    </message>
    <message>
      <source>Only for keys of a {exchange} sub-account. Adding the same key twice with different sub-account names imports the same transactions twice.</source>
      <translation>{exchange} のサブアカウントのキーの場合のみ。同じキーを異なるサブアカウント名で2回追加すると、同じ取引が二重に取り込まれます。</translation>
    </message>
    <message>
      <source>Su&amp;baccount name:</source>
      <translation>サブアカウント名(&amp;B):</translation>
    </message>
    <message>
      <source>The server that reads the {exchange} history: a public one, or your own (https://, or http:// on this computer).</source>
      <translation>{exchange} の履歴を読み取るサーバーです。公開サーバーか、自分のサーバー（https://、またはこのコンピューター上なら http://）を選びます。</translation>
    </message>
    <message>
      <source>The {exchange} site your account is registered on. Most accounts use Global.</source>
      <translation>アカウントを登録した {exchange} のサイト。ほとんどのアカウントはグローバルです。</translation>
    </message>
    <message>
      <source>&amp;Server:</source>
      <translation>サーバー(&amp;S):</translation>
    </message>
    <message>
      <source>Server &amp;address:</source>
      <translation>サーバーアドレス(&amp;A):</translation>
    </message>
    <message>
      <source>API &amp;site:</source>
      <translation>APIサイト(&amp;S):</translation>
    </message>
    <message>
      <source>API &amp;address:</source>
      <translation>APIアドレス(&amp;A):</translation>
    </message>
    <message>
      <source>Pre-set to just after your imported files. Useful when you also import files: the API then only adds what the files do not have.</source>
      <translation>インポートしたファイルの直後に設定済みです。ファイルもインポートする場合に便利です: APIはファイルにないものだけを追加します。</translation>
    </message>
    <message>
      <source>Useful when you also import files: start the API sync just after the last transaction in your files so nothing is imported twice. Off: everything the API still offers.</source>
      <translation>ファイルもインポートする場合に便利です: ファイルの最後の取引の直後からAPIの同期を始めれば、二重に取り込まれません。オフ: APIが提供しているすべて。</translation>
    </message>
    <message>
      <source>Sync from:</source>
      <translation>同期の開始:</translation>
    </message>
    <message>
      <source>&amp;Endpoints:</source>
      <translation>エンドポイント(&amp;E):</translation>
    </message>
    <message>
      <source>Submit</source>
      <translation>送信</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
  </context>
  <context>
    <name>KeyTreeModel</name>
    <message>
      <source>Never</source>
      <translation>なし</translation>
    </message>
    <message>
      <source>Not synced completely yet</source>
      <translation>まだ完全には同期されていません</translation>
    </message>
    <message>
      <source>{name}, {status}</source>
      <translation>{name}、{status}</translation>
    </message>
    <message>
      <source>Not every endpoint has completed a sync yet</source>
      <translation>まだ同期が完了していないエンドポイントがあります</translation>
    </message>
    <message>
      <source>Fetch new history for this key</source>
      <translation>このキーの新しい履歴を取得</translation>
    </message>
    <message>
      <source>Fetched</source>
      <translation>取得済み</translation>
    </message>
    <message>
      <source>{utc}
{local} (local time)</source>
      <translation>{utc}
{local}（現地時間）</translation>
    </message>
    <message>
      <source>Paused</source>
      <translation>一時停止中</translation>
    </message>
    <message>
      <source>Incomplete</source>
      <translation>未完了</translation>
    </message>
    <message>
      <source>Up to date</source>
      <translation>最新</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>失敗</translation>
    </message>
    <message>
      <source>Not synced yet</source>
      <translation>未同期</translation>
    </message>
    <message>
      <source>Syncing…</source>
      <translation>同期中…</translation>
    </message>
    <message>
      <source>Waiting…</source>
      <translation>待機中…</translation>
    </message>
    <message>
      <source>Fetched {new} new · finishing…</source>
      <translation>新規 {new} 件を取得 · 完了処理中…</translation>
    </message>
    <message>
      <source>page {pages}</source>
      <translation>{pages} ページ</translation>
    </message>
    <message>
      <source>{new} new</source>
      <translation>新規 {new} 件</translation>
    </message>
    <message>
      <source>reached {date}</source>
      <translation>{date} まで到達</translation>
    </message>
    <message>
      <source>at least {minutes} min more (rate limit)</source>
      <translation>あと {minutes} 分以上（レート制限）</translation>
    </message>
    <message>
      <source>at least {hours} h more (rate limit)</source>
      <translation>あと {hours} 時間以上（レート制限）</translation>
    </message>
    <message>
      <source>Syncing: {done} of {total} done</source>
      <translation>同期中: {total} 件中 {done} 件完了</translation>
    </message>
    <message>
      <source>History before {date} cannot be fetched via the API — import {exchange}'s export file</source>
      <translation>{date} より前の履歴はAPIでは取得できません — {exchange} のエクスポートファイルをインポートしてください</translation>
    </message>
    <message>
      <source>No endpoints enabled</source>
      <translation>有効なエンドポイントがありません</translation>
    </message>
    <message>
      <source>{failed} of {total} endpoints failed</source>
      <translation>{total} 個中 {failed} 個のエンドポイントが失敗</translation>
    </message>
    <message>
      <source>Paused: not included in Sync all</source>
      <translation>一時停止中: 「すべて同期」の対象外</translation>
    </message>
    <message>
      <source>Press Sync to fetch this key's history</source>
      <translation>「同期」を押すとこのキーの履歴を取得します</translation>
    </message>
    <message>
      <source>Error code: {code}</source>
      <translation>エラーコード: {code}</translation>
    </message>
    <message>
      <source>Sub-account: {name}</source>
      <translation>サブアカウント: {name}</translation>
    </message>
    <message>
      <source>Address: {hint}</source>
      <translation>アドレス: {hint}</translation>
    </message>
    <message>
      <source>API key: {hint}</source>
      <translation>APIキー: {hint}</translation>
    </message>
    <message>
      <source>Server: {site}</source>
      <translation>サーバー: {site}</translation>
    </message>
    <message>
      <source>Site: {site}</source>
      <translation>サイト: {site}</translation>
    </message>
    <message>
      <source>API address: {url}</source>
      <translation>APIアドレス: {url}</translation>
    </message>
    <message>
      <source>Read-only by nature: an address cannot spend</source>
      <translation>性質上、読み取り専用です: アドレスでは送金できません</translation>
    </message>
    <message>
      <source>Warning: this key can trade or withdraw — use a read-only key</source>
      <translation>警告: このキーは取引や出金ができます — 読み取り専用のキーを使ってください</translation>
    </message>
    <message>
      <source>Key</source>
      <translation>キー</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状態</translation>
    </message>
    <message>
      <source>Last sync</source>
      <translation>最終同期</translation>
    </message>
    <message>
      <source>Records</source>
      <translation>レコード</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>詳細</translation>
    </message>
  </context>
  <context>
    <name>KeysTree</name>
    <message>
      <source>API keys</source>
      <translation>APIキー</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>Stop this sync; what was fetched so far is kept</source>
      <translation>この同期を中止します。取得済みのデータは保持されます</translation>
    </message>
    <message>
      <source>Cancel sync of {key}</source>
      <translation>{key} の同期をキャンセル</translation>
    </message>
    <message>
      <source>Sync</source>
      <translation>同期</translation>
    </message>
    <message>
      <source>Sync {key}</source>
      <translation>{key} を同期</translation>
    </message>
    <message>
      <source>This key has no endpoints to sync</source>
      <translation>このキーには同期するエンドポイントがありません</translation>
    </message>
    <message>
      <source>Fetch new history for this key (paused: only when you press this)</source>
      <translation>このキーの新しい履歴を取得（一時停止中: これを押したときのみ）</translation>
    </message>
    <message>
      <source>Fetch new history for this key</source>
      <translation>このキーの新しい履歴を取得</translation>
    </message>
    <message>
      <source>Attach API key…</source>
      <translation>APIキーを紐付け…</translation>
    </message>
    <message>
      <source>Cancel sync</source>
      <translation>同期をキャンセル</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>編集…</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>再開</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>一時停止</translation>
    </message>
    <message>
      <source>Show transactions</source>
      <translation>取引を表示</translation>
    </message>
    <message>
      <source>Add transactions from a file…</source>
      <translation>ファイルから取引を追加…</translation>
    </message>
    <message>
      <source>Reconcile with files…</source>
      <translation>ファイルと照合…</translation>
    </message>
    <message>
      <source>Coverage…</source>
      <translation>カバー範囲…</translation>
    </message>
    <message>
      <source>Remove…</source>
      <translation>削除…</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>The demo could not be started.

Check that the data folder is on a disk with free space that you may write to, then start the demo again. If it still fails, the log file says what went wrong.</source>
      <translation>デモを開始できませんでした。

データフォルダーが空き容量のある書き込み可能なディスク上にあるか確認してから、もう一度デモを開始してください。それでも失敗する場合は、ログファイルに原因が記録されています。</translation>
    </message>
    <message>
      <source>Your data could not be opened.

Check that the data folder is on a disk with free space that you may write to, and that no other program holds its database open; then start Cryptact Desktop again.</source>
      <translation>データを開けませんでした。

データフォルダーが空き容量のある書き込み可能なディスク上にあること、ほかのプログラムがそのデータベースを開いたままにしていないことを確認してから、Cryptact Desktop をもう一度起動してください。</translation>
    </message>
    <message>
      <source>Cryptact Desktop cannot start</source>
      <translation>Cryptact Desktop を起動できません</translation>
    </message>
    <message>
      <source>Add</source>
      <translation>追加</translation>
    </message>
    <message>
      <source>Add API keys, wallet addresses or files (Ctrl+N)</source>
      <translation>APIキー・ウォレットアドレス・ファイルを追加（Ctrl+N）</translation>
    </message>
    <message>
      <source>Manage your API keys…</source>
      <translation>APIキーの管理…</translation>
    </message>
    <message>
      <source>Add a read-only API key of an exchange</source>
      <translation>取引所の読み取り専用APIキーを追加</translation>
    </message>
    <message>
      <source>Add wallet address…</source>
      <translation>ウォレットアドレスを追加…</translation>
    </message>
    <message>
      <source>Read a blockchain wallet's history from its address or extended public key</source>
      <translation>ブロックチェーンのウォレットの履歴を、アドレスまたは拡張公開鍵から読み取ります</translation>
    </message>
    <message>
      <source>Transfers…</source>
      <translation>送金…</translation>
    </message>
    <message>
      <source>Own transfers between your keys and wallets, and the outgoing transfers to classify</source>
      <translation>自分のキーとウォレット間の自己送金と、分類が必要な送金</translation>
    </message>
    <message>
      <source>Add transactions from a file…</source>
      <translation>ファイルから取引を追加…</translation>
    </message>
    <message>
      <source>Import an exchange's downloaded history file</source>
      <translation>取引所からダウンロードした履歴ファイルをインポート</translation>
    </message>
    <message>
      <source>Assistant…</source>
      <translation>アシスタント…</translation>
    </message>
    <message>
      <source>Step by step: choose your exchanges, then add API keys or files</source>
      <translation>手順に沿って: 取引所を選び、APIキーやファイルを追加</translation>
    </message>
    <message>
      <source>Export Cryptact file…</source>
      <translation>クリプタクト用ファイルをエクスポート…</translation>
    </message>
    <message>
      <source>Write the Cryptact custom file for upload</source>
      <translation>アップロード用のクリプタクトのカスタムファイルを書き出す</translation>
    </message>
    <message>
      <source>Sync all</source>
      <translation>すべて同期</translation>
    </message>
    <message>
      <source>Fetch new history for every key that is not paused</source>
      <translation>一時停止中でないすべてのキーの新しい履歴を取得</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>Stop every running sync (what was fetched so far is kept)</source>
      <translation>実行中のすべての同期を中止（取得済みのデータは保持）</translation>
    </message>
    <message>
      <source>Sync</source>
      <translation>同期</translation>
    </message>
    <message>
      <source>Sync the selected key</source>
      <translation>選択したキーを同期</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>編集…</translation>
    </message>
    <message>
      <source>Edit the selected key</source>
      <translation>選択したキーを編集</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>一時停止</translation>
    </message>
    <message>
      <source>Remove…</source>
      <translation>削除…</translation>
    </message>
    <message>
      <source>Remove the selected key</source>
      <translation>選択したキーを削除</translation>
    </message>
    <message>
      <source>Show transactions</source>
      <translation>取引を表示</translation>
    </message>
    <message>
      <source>Settings…</source>
      <translation>設定…</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>終了</translation>
    </message>
    <message>
      <source>About Cryptact Desktop</source>
      <translation>Cryptact Desktop について</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Keys</source>
      <translation>キー(&amp;K)</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
      <source>Main</source>
      <translation>メイン</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>再開</translation>
    </message>
    <message>
      <source>Bring your exchange history to this computer</source>
      <translation>取引所の履歴をこのコンピューターに取り込みましょう</translation>
    </message>
    <message>
      <source>Add a read-only API key of your exchange account. Cryptact Desktop fetches your trades, deposits, withdrawals and transfers into a database on this computer — only when you press Sync.</source>
      <translation>取引所アカウントの読み取り専用APIキーを追加してください。Cryptact Desktop は取引・入金・出金・振替をこのコンピューター上のデータベースに取得します — 「同期」を押したときだけです。</translation>
    </message>
    <message>
      <source>Add your first API key</source>
      <translation>最初のAPIキーを追加</translation>
    </message>
    <message>
      <source>Later, add more keys with the + button at the top left (Ctrl+N).</source>
      <translation>キーはあとから左上の「+」ボタン（Ctrl+N）で追加できます。</translation>
    </message>
    <message>
      <source>Cryptact Desktop</source>
      <translation>Cryptact Desktop</translation>
    </message>
    <message>
      <source>{title} — Demo</source>
      <translation>{title} — デモ</translation>
    </message>
    <message>
      <source>Opening your data…</source>
      <translation>データを開いています…</translation>
    </message>
    <message>
      <source>API keys</source>
      <translation>APIキー</translation>
    </message>
    <message>
      <source>Transactions</source>
      <translation>取引</translation>
    </message>
    <message>
      <source>Demo mode: simulated exchange, nothing is kept</source>
      <translation>デモモード: 模擬取引所を使います。何も保存されません</translation>
    </message>
    <message>
      <source>{keys} keys · {count} transactions</source>
      <translation>キー {keys} 件 · 取引 {count} 件</translation>
    </message>
    <message>
      <source>1 key · {count} transactions</source>
      <translation>キー 1 件 · 取引 {count} 件</translation>
    </message>
    <message>
      <source>&lt;b&gt;Cryptact Desktop&lt;/b&gt; {version}&lt;br&gt;&lt;br&gt;Syncs your exchange history with read-only API keys into a database on this computer. Secrets stay in the system keyring ({backend}).</source>
      <translation>&lt;b&gt;Cryptact Desktop&lt;/b&gt; {version}&lt;br&gt;&lt;br&gt;読み取り専用のAPIキーで取引所の履歴をこのコンピューター上のデータベースに同期します。シークレットはシステムのキーリング（{backend}）に保管されます。</translation>
    </message>
  </context>
  <context>
    <name>QuitNotice</name>
    <message>
      <source>Stopping the sync before quitting… what was fetched so far is kept.</source>
      <translation>終了する前に同期を止めています… 取得済みのデータは保持されます。</translation>
    </message>
  </context>
  <context>
    <name>ReconcileDialog</name>
    <message>
      <source>Reconcile “{label}” with its files</source>
      <translation>「{label}」をファイルと照合</translation>
    </message>
    <message>
      <source>Compares the rows of the imported files with the records fetched from the API. Conflicting: same id, different values (the API's version is kept). Only in the file: the API did not deliver it (or had not fetched that time). Only from the API: the files lack it.</source>
      <translation>インポートしたファイルの行とAPIから取得したレコードを比較します。不一致: IDが同じで値が異なる（APIの値を保持）。ファイルのみ: APIが返さなかった（またはその時点をまだ取得していない）。APIのみ: ファイルにない。</translation>
    </message>
    <message>
      <source>&amp;Only from</source>
      <translation>開始日(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Refresh</source>
      <translation>更新(&amp;R)</translation>
    </message>
    <message>
      <source>to</source>
      <translation>〜</translation>
    </message>
    <message>
      <source>(UTC)</source>
      <translation>（UTC）</translation>
    </message>
    <message>
      <source>Time (UTC)</source>
      <translation>日時（UTC）</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>種類</translation>
    </message>
    <message>
      <source>Exchange ID</source>
      <translation>取引所ID</translation>
    </message>
    <message>
      <source>File, row</source>
      <translation>ファイル、行</translation>
    </message>
    <message>
      <source>In the file</source>
      <translation>ファイル内の値</translation>
    </message>
    <message>
      <source>From the API</source>
      <translation>APIから</translation>
    </message>
    <message>
      <source>Differences</source>
      <translation>差異</translation>
    </message>
    <message>
      <source>&amp;Save report…</source>
      <translation>レポートを保存(&amp;S)…</translation>
    </message>
    <message>
      <source>Comparing…</source>
      <translation>比較中…</translation>
    </message>
    <message>
      <source>The report could not be made ({error}).</source>
      <translation>レポートを作成できませんでした（{error}）。</translation>
    </message>
    <message>
      <source>Everything matches: {count} records are both in the files and from the API.</source>
      <translation>すべて一致しています: {count} 件のレコードがファイルとAPIの両方にあります。</translation>
    </message>
    <message>
      <source>{matched} matched, {conflicting} conflicting, {file} only in the files, {api} only from the API, {held} held for review.</source>
      <translation>一致 {matched} 件、不一致 {conflicting} 件、ファイルのみ {file} 件、APIのみ {api} 件、確認待ち {held} 件。</translation>
    </message>
    <message>
      <source>the API had not fetched this time</source>
      <translation>APIがこの時点をまだ取得していません</translation>
    </message>
    <message>
      <source>{count} possible API records</source>
      <translation>候補となるAPIのレコード {count} 件</translation>
    </message>
    <message>
      <source>Conflicting ({count})</source>
      <translation>不一致（{count}）</translation>
    </message>
    <message>
      <source>Only in file ({count})</source>
      <translation>ファイルのみ（{count}）</translation>
    </message>
    <message>
      <source>Only from API ({count})</source>
      <translation>APIのみ（{count}）</translation>
    </message>
    <message>
      <source>Held for review ({count})</source>
      <translation>確認待ち（{count}）</translation>
    </message>
    <message>
      <source>Matched ({count})</source>
      <translation>一致（{count}）</translation>
    </message>
    <message>
      <source>Review ({count})</source>
      <translation>確認（{count}）</translation>
    </message>
    <message>
      <source>Save the reconciliation report</source>
      <translation>照合レポートを保存</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSVファイル (*.csv)</translation>
    </message>
    <message>
      <source>The report could not be saved: {reason}</source>
      <translation>レポートを保存できませんでした: {reason}</translation>
    </message>
    <message>
      <source>Saved {file}.</source>
      <translation>{file} を保存しました。</translation>
    </message>
  </context>
  <context>
    <name>RemoveKeyDialog</name>
    <message>
      <source>Remove key</source>
      <translation>キーを削除</translation>
    </message>
    <message>
      <source>Remove “{label}”?</source>
      <translation>「{label}」を削除しますか？</translation>
    </message>
    <message>
      <source>sub-account {name}</source>
      <translation>サブアカウント {name}</translation>
    </message>
    <message>
      <source>key {hint}</source>
      <translation>キー {hint}</translation>
    </message>
    <message>
      <source>The API key and its secret are deleted from this computer's keyring, and the app stops syncing it. The key itself stays active on {exchange}: delete it there too if you no longer use it.</source>
      <translation>APIキーとシークレットをこのコンピューターのキーリングから削除し、同期を止めます。キー自体は {exchange} で有効なままです。使わない場合は {exchange} でも削除してください。</translation>
    </message>
    <message>
      <source>This key has no transactions.</source>
      <translation>このキーには取引がありません。</translation>
    </message>
    <message>
      <source>Remove key and delete its 1 transaction</source>
      <translation>キーを削除し、取引1件も削除</translation>
    </message>
    <message>
      <source>It is deleted from this computer. This cannot be undone.</source>
      <translation>このコンピューターから削除されます。元に戻せません。</translation>
    </message>
    <message>
      <source>Remove key and delete its {count} transactions</source>
      <translation>キーを削除し、取引 {count} 件も削除</translation>
    </message>
    <message>
      <source>They are deleted from this computer. This cannot be undone.</source>
      <translation>このコンピューターから削除されます。元に戻せません。</translation>
    </message>
    <message>
      <source>Remove key, keep its transactions</source>
      <translation>キーを削除し、取引は残す</translation>
    </message>
    <message>
      <source>They stay in the list and in exports, under “{label} (removed)”.</source>
      <translation>取引は「{label}（削除済み）」として一覧とエクスポートに残ります。</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
  </context>
  <context>
    <name>ReviewTab</name>
    <message>
      <source>File row / candidate API record</source>
      <translation>ファイルの行／候補のAPIレコード</translation>
    </message>
    <message>
      <source>Time (UTC)</source>
      <translation>日時（UTC）</translation>
    </message>
    <message>
      <source>Values</source>
      <translation>値</translation>
    </message>
    <message>
      <source>Same as &amp;this one</source>
      <translation>これと同じ(&amp;T)</translation>
    </message>
    <message>
      <source>The file row is the selected API record: keep it once</source>
      <translation>ファイルの行は選択したAPIレコードと同じ: 1回だけ保存</translation>
    </message>
    <message>
      <source>&amp;Different record</source>
      <translation>別のレコード(&amp;D)</translation>
    </message>
    <message>
      <source>The file row is none of these: keep it as its own record</source>
      <translation>ファイルの行はどれとも異なる: 独立したレコードとして保存</translation>
    </message>
    <message>
      <source>Each file row below matches several API records equally well. Select the API record it is and press “Same as this one”, or select the file row and press “Different record”.</source>
      <translation>下のファイルの各行は複数のAPIレコードと同程度に一致します。該当するAPIレコードを選んで「これと同じ」を押すか、ファイルの行を選んで「別のレコード」を押してください。</translation>
    </message>
    <message>
      <source>{file}, row {row}</source>
      <translation>{file}、{row} 行目</translation>
    </message>
    <message>
      <source>File: {rows}</source>
      <translation>ファイル: {rows}</translation>
    </message>
    <message>
      <source>API {id}</source>
      <translation>API {id}</translation>
    </message>
    <message>
      <source>The decision could not be saved ({error}).</source>
      <translation>判断を保存できませんでした（{error}）。</translation>
    </message>
  </context>
  <context>
    <name>SelectPage</name>
    <message>
      <source>Select your exchanges and/or blockchains</source>
      <translation>取引所・ブロックチェーンを選択</translation>
    </message>
    <message>
      <source>Tick every place you hold or traded crypto. You can add more later with “+”.</source>
      <translation>暗号資産を保有・取引したところすべてにチェックを入れてください。あとで「+」から追加することもできます。</translation>
    </message>
    <message>
      <source>Search exchanges and blockchains</source>
      <translation>取引所・ブロックチェーンを検索</translation>
    </message>
    <message>
      <source>Exchanges</source>
      <translation>取引所</translation>
    </message>
    <message>
      <source>Blockchains</source>
      <translation>ブロックチェーン</translation>
    </message>
    <message>
      <source>Do not open the Assistant by itself again</source>
      <translation>今後アシスタントを自動で開かない</translation>
    </message>
    <message>
      <source>Nothing matches “{text}”. This app cannot read files from other places yet: upload them on Cryptact's own site instead.</source>
      <translation>「{text}」に一致するものはありません。その他の取引所のファイルはこのアプリではまだ読み込めません。クリプタクトのサイトに直接アップロードしてください。</translation>
    </message>
    <message>
      <source>{count} selected</source>
      <translation>{count} 件選択中</translation>
    </message>
  </context>
  <context>
    <name>SitePicker</name>
    <message>
      <source>Server</source>
      <translation>サーバー</translation>
    </message>
    <message>
      <source>API site or region</source>
      <translation>APIサイトまたは地域</translation>
    </message>
    <message>
      <source>My own server…</source>
      <translation>自分のサーバー…</translation>
    </message>
    <message>
      <source>Custom URL (advanced)</source>
      <translation>カスタムURL（上級者向け）</translation>
    </message>
    <message>
      <source>Server address</source>
      <translation>サーバーアドレス</translation>
    </message>
    <message>
      <source>Custom API address</source>
      <translation>カスタムAPIアドレス</translation>
    </message>
  </context>
  <context>
    <name>SourcesDialog</name>
    <message>
      <source>Sources of this transaction</source>
      <translation>この取引の取得元</translation>
    </message>
    <message>
      <source>The first row is the one the Transactions tab shows and the export counts. The other {count} record(s) describe the same event — the trade's entries in the transaction log, or the same record fetched by another key of this account — and are kept but not counted again.</source>
      <translation>1行目が「取引」タブに表示され、エクスポートで計上される記録です。ほかの {count} 件のレコードは同じ出来事を表すもの（取引ログにあるその取引の記録や、このアカウントの別のキーで取得した同じレコード）で、保存はされますが二重には計上されません。</translation>
    </message>
    <message>
      <source>This transaction has no other stored record: it is its only source.</source>
      <translation>この取引にはほかに保存されたレコードはありません。これが唯一の取得元です。</translation>
    </message>
    <message>
      <source>Sources</source>
      <translation>取得元</translation>
    </message>
  </context>
  <context>
    <name>SummaryPage</name>
    <message>
      <source>Summary</source>
      <translation>概要</translation>
    </message>
    <message>
      <source>What is set up. Sync now to fetch the history of your API keys.</source>
      <translation>設定した内容です。今すぐ同期すると、APIキーの履歴を取得します。</translation>
    </message>
    <message>
      <source>&amp;Sync now</source>
      <translation>今すぐ同期(&amp;S)</translation>
    </message>
    <message>
      <source>Nothing to sync: no API key is set up.</source>
      <translation>同期するものがありません: APIキーが設定されていません。</translation>
    </message>
  </context>
  <context>
    <name>SyncFromField</name>
    <message>
      <source>Sync from a custom &amp;timestamp</source>
      <translation>カスタムタイムスタンプから同期(&amp;T)</translation>
    </message>
    <message>
      <source>Sync from (date and time)</source>
      <translation>同期の開始（日時）</translation>
    </message>
    <message>
      <source>Time zone of the sync-from time</source>
      <translation>同期開始日時のタイムゾーン</translation>
    </message>
  </context>
  <context>
    <name>SyncSettingsDialog</name>
    <message>
      <source>Settings</source>
      <translation>設定</translation>
    </message>
    <message>
      <source>Sync all keys automatically while the app is running</source>
      <translation>アプリの実行中にすべてのキーを自動で同期する</translation>
    </message>
    <message>
      <source>Every</source>
      <translation>間隔</translation>
    </message>
    <message>
      <source> hours</source>
      <translation> 時間</translation>
    </message>
    <message>
      <source>Hours between automatic syncs</source>
      <translation>自動同期の間隔（時間）</translation>
    </message>
    <message>
      <source>Off by default: new history is fetched only when you press Sync. Paused keys are never synced automatically.</source>
      <translation>既定ではオフです: 新しい履歴は「同期」を押したときだけ取得します。一時停止中のキーは自動では同期されません。</translation>
    </message>
    <message>
      <source>The system's language</source>
      <translation>システムの言語</translation>
    </message>
    <message>
      <source>&amp;Language:</source>
      <translation>言語(&amp;L):</translation>
    </message>
    <message>
      <source>A new language applies the next time the app starts.</source>
      <translation>言語の変更は次回の起動時に反映されます。</translation>
    </message>
  </context>
  <context>
    <name>TransactionKind</name>
    <message>
      <source>Trade</source>
      <translation>取引</translation>
    </message>
    <message>
      <source>Deposit</source>
      <translation>入金</translation>
    </message>
    <message>
      <source>Withdrawal</source>
      <translation>出金</translation>
    </message>
    <message>
      <source>Internal transfer</source>
      <translation>内部振替</translation>
    </message>
    <message>
      <source>Convert</source>
      <translation>交換</translation>
    </message>
    <message>
      <source>Funding</source>
      <translation>資金調達料</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>手数料</translation>
    </message>
    <message>
      <source>Interest</source>
      <translation>利息</translation>
    </message>
    <message>
      <source>Earn</source>
      <translation>Earn</translation>
    </message>
    <message>
      <source>Settlement</source>
      <translation>決済</translation>
    </message>
    <message>
      <source>Liquidation</source>
      <translation>強制決済</translation>
    </message>
    <message>
      <source>Bonus</source>
      <translation>ボーナス</translation>
    </message>
    <message>
      <source>Other ledger entry</source>
      <translation>その他の台帳記録</translation>
    </message>
  </context>
  <context>
    <name>TransactionsModel</name>
    <message>
      <source>Time</source>
      <translation>日時</translation>
    </message>
    <message>
      <source>Key</source>
      <translation>キー</translation>
    </message>
    <message>
      <source>Endpoint</source>
      <translation>エンドポイント</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>種類</translation>
    </message>
    <message>
      <source>Base</source>
      <translation>基軸通貨</translation>
    </message>
    <message>
      <source>Quote</source>
      <translation>決済通貨</translation>
    </message>
    <message>
      <source>Side</source>
      <translation>売買</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>Price</source>
      <translation>価格</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>手数料</translation>
    </message>
    <message>
      <source>Fee ccy</source>
      <translation>手数料通貨</translation>
    </message>
    <message>
      <source>Exchange id</source>
      <translation>取引所ID</translation>
    </message>
    <message>
      <source>Local time; point at a time to see it in UTC. Click to sort.</source>
      <translation>現地時間。日時にカーソルを合わせるとUTCで表示します。クリックで並べ替え。</translation>
    </message>
    <message>
      <source>Buy</source>
      <translation>買い</translation>
    </message>
    <message>
      <source>Sell</source>
      <translation>売り</translation>
    </message>
    <message>
      <source>In</source>
      <translation>入</translation>
    </message>
    <message>
      <source>Out</source>
      <translation>出</translation>
    </message>
    <message>
      <source>Transaction hash: {hash}</source>
      <translation>トランザクションハッシュ: {hash}</translation>
    </message>
    <message>
      <source>Network: {network}</source>
      <translation>ネットワーク: {network}</translation>
    </message>
  </context>
  <context>
    <name>TransactionsPage</name>
    <message>
      <source>Upload or Sync your transactions</source>
      <translation>取引をアップロードまたは同期</translation>
    </message>
    <message>
      <source>For each place: add a read-only API key to sync automatically, upload a file you downloaded there, or both. Records in both are kept once.</source>
      <translation>取引所ごとに、読み取り専用のAPIキーを追加して自動で同期するか、そこでダウンロードしたファイルをアップロードするか、その両方を行ってください。両方にあるレコードは1回だけ保存されます。</translation>
    </message>
  </context>
  <context>
    <name>TransactionsView</name>
    <message>
      <source>Key</source>
      <translation>キー</translation>
    </message>
    <message>
      <source>Endpoint</source>
      <translation>エンドポイント</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>種類</translation>
    </message>
    <message>
      <source>All kinds</source>
      <translation>すべての種類</translation>
    </message>
    <message>
      <source>Asset</source>
      <translation>資産</translation>
    </message>
    <message>
      <source>Asset, e.g. BTC</source>
      <translation>資産（例: BTC）</translation>
    </message>
    <message>
      <source>&amp;From</source>
      <translation>開始(&amp;F)</translation>
    </message>
    <message>
      <source>From date</source>
      <translation>開始日</translation>
    </message>
    <message>
      <source>&amp;To</source>
      <translation>終了(&amp;T)</translation>
    </message>
    <message>
      <source>To date</source>
      <translation>終了日</translation>
    </message>
    <message>
      <source>Reset filters</source>
      <translation>絞り込みを解除</translation>
    </message>
    <message>
      <source>Transactions</source>
      <translation>取引</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>コピー</translation>
    </message>
    <message>
      <source>Show sources…</source>
      <translation>取得元を表示…</translation>
    </message>
    <message>
      <source>Reading transactions</source>
      <translation>取引を読み込み中</translation>
    </message>
    <message>
      <source>All keys</source>
      <translation>すべてのキー</translation>
    </message>
    <message>
      <source>All endpoints</source>
      <translation>すべてのエンドポイント</translation>
    </message>
    <message>
      <source>The transactions could not be read. Try again, or restart the app.</source>
      <translation>取引を読み込めませんでした。もう一度お試しいただくか、アプリを再起動してください。</translation>
    </message>
    <message>
      <source>No transactions yet: add an API key and sync it, or import a file.</source>
      <translation>まだ取引がありません: APIキーを追加して同期するか、ファイルをインポートしてください。</translation>
    </message>
    <message>
      <source>No transactions match these filters.</source>
      <translation>この条件に一致する取引はありません。</translation>
    </message>
    <message>
      <source>1 transaction</source>
      <translation>取引 1 件</translation>
    </message>
    <message>
      <source>{count} transactions</source>
      <translation>取引 {count} 件</translation>
    </message>
  </context>
  <context>
    <name>TransfersDialog</name>
    <message>
      <source>Transfers</source>
      <translation>送金</translation>
    </message>
    <message>
      <source>A withdrawal that arrived on another of your keys or wallets is an own transfer: only its network fee goes into the Cryptact file. Say what each outgoing transfer below was — nothing is guessed.</source>
      <translation>自分の別のキーやウォレットに着金した出金は自己送金です。クリプタクト用ファイルにはネットワーク手数料だけが記載されます。下の各送金の内容を指定してください — アプリが推測で決めることはありません。</translation>
    </message>
    <message>
      <source>Reading…</source>
      <translation>読み込み中…</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>送金日時</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>手数料</translation>
    </message>
    <message>
      <source>From</source>
      <translation>送金元</translation>
    </message>
    <message>
      <source>To</source>
      <translation>送金先</translation>
    </message>
    <message>
      <source>Received</source>
      <translation>着金日時</translation>
    </message>
    <message>
      <source>Matched by</source>
      <translation>照合方法</translation>
    </message>
    <message>
      <source>What was it?</source>
      <translation>送金の内容</translation>
    </message>
    <message>
      <source>Transaction</source>
      <translation>トランザクション</translation>
    </message>
    <message>
      <source>To classify</source>
      <translation>要分類</translation>
    </message>
    <message>
      <source>Own transfers</source>
      <translation>自己送金</translation>
    </message>
    <message>
      <source>{pairs} own transfers matched; {open} outgoing transfers match no deposit of yours, {unclassified} of them not classified yet.</source>
      <translation>自己送金 {pairs} 件を照合しました。自分の入金と一致しない送金が {open} 件あり、そのうち {unclassified} 件が未分類です。</translation>
    </message>
    <message>
      <source>To classify ({count})</source>
      <translation>要分類（{count}）</translation>
    </message>
    <message>
      <source>Own transfers ({count})</source>
      <translation>自己送金（{count}）</translation>
    </message>
    <message>
      <source>tx hash</source>
      <translation>トランザクションハッシュ</translation>
    </message>
    <message>
      <source>amount and time</source>
      <translation>数量と日時</translation>
    </message>
    <message>
      <source>What was this transfer?</source>
      <translation>この送金の内容</translation>
    </message>
    <message>
      <source>Own transfer</source>
      <translation>自己送金</translation>
    </message>
    <message>
      <source>The transfers could not be read or saved. Close this window and try again.</source>
      <translation>送金を読み込みまたは保存できませんでした。このウィンドウを閉じて、もう一度お試しください。</translation>
    </message>
  </context>
  <context>
    <name>Tray</name>
    <message>
      <source>Cryptact Desktop</source>
      <translation>Cryptact Desktop</translation>
    </message>
    <message>
      <source>Sync all</source>
      <translation>すべて同期</translation>
    </message>
    <message>
      <source>Open Cryptact Desktop</source>
      <translation>Cryptact Desktop を開く</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>終了</translation>
    </message>
    <message>
      <source>Cryptact Desktop — a sync failed</source>
      <translation>Cryptact Desktop — 同期に失敗しました</translation>
    </message>
    <message>
      <source>Cryptact Desktop — syncing…</source>
      <translation>Cryptact Desktop — 同期中…</translation>
    </message>
    <message>
      <source>Cryptact Desktop — not synced yet</source>
      <translation>Cryptact Desktop — 未同期</translation>
    </message>
    <message>
      <source>Cryptact Desktop — up to date</source>
      <translation>Cryptact Desktop — 最新</translation>
    </message>
    <message>
      <source>Cryptact Desktop is still running</source>
      <translation>Cryptact Desktop は実行中です</translation>
    </message>
    <message>
      <source>It stays here in the notification area. Choose Quit in this icon's menu to exit.</source>
      <translation>通知領域に常駐しています。終了するには、このアイコンのメニューから「終了」を選んでください。</translation>
    </message>
    <message>
      <source>{key}: {reason}</source>
      <translation>{key}: {reason}</translation>
    </message>
    <message>
      <source>{count} keys failed in total.</source>
      <translation>合計 {count} 件のキーが失敗しました。</translation>
    </message>
    <message>
      <source>Sync failed</source>
      <translation>同期に失敗しました</translation>
    </message>
    <message>
      <source>Sync finished</source>
      <translation>同期が完了しました</translation>
    </message>
    <message>
      <source>{count} new transactions.</source>
      <translation>新しい取引 {count} 件。</translation>
    </message>
  </context>
  <context>
    <name>VenueCard</name>
    <message>
      <source>Add transactions</source>
      <translation>取引を追加</translation>
    </message>
    <message>
      <source>Add wallet address…</source>
      <translation>ウォレットアドレスを追加…</translation>
    </message>
    <message>
      <source>Add API key…</source>
      <translation>APIキーを追加…</translation>
    </message>
    <message>
      <source>Attach API key…</source>
      <translation>APIキーを紐付け…</translation>
    </message>
    <message>
      <source>Upload file…</source>
      <translation>ファイルをアップロード…</translation>
    </message>
  </context>
  <context>
    <name>VenuePickerDialog</name>
    <message>
      <source>Add wallet address</source>
      <translation>ウォレットアドレスを追加</translation>
    </message>
    <message>
      <source>Choose the blockchain of your wallet.</source>
      <translation>ウォレットのブロックチェーンを選んでください。</translation>
    </message>
    <message>
      <source>Search blockchains</source>
      <translation>ブロックチェーンを検索</translation>
    </message>
    <message>
      <source>Manage your API keys</source>
      <translation>APIキーの管理</translation>
    </message>
    <message>
      <source>Choose the exchange your API key is from.</source>
      <translation>APIキーを発行した取引所を選んでください。</translation>
    </message>
    <message>
      <source>Search exchanges</source>
      <translation>取引所を検索</translation>
    </message>
    <message>
      <source>Choose the exchange your API key is from, or the blockchain of your wallet.</source>
      <translation>APIキーを発行した取引所、またはウォレットのブロックチェーンを選んでください。</translation>
    </message>
    <message>
      <source>Search exchanges and blockchains</source>
      <translation>取引所・ブロックチェーンを検索</translation>
    </message>
    <message>
      <source>Exchanges</source>
      <translation>取引所</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>次へ</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>API sync and file upload</source>
      <translation>API同期とファイルアップロード</translation>
    </message>
    <message>
      <source>API sync</source>
      <translation>API同期</translation>
    </message>
    <message>
      <source>File upload only</source>
      <translation>ファイルアップロードのみ</translation>
    </message>
    <message>
      <source>Not supported yet</source>
      <translation>未対応</translation>
    </message>
    <message>
      <source>No blockchain matches “{text}”.</source>
      <translation>「{text}」に一致するブロックチェーンはありません。</translation>
    </message>
    <message>
      <source>No exchange matches “{text}”.
This app cannot read other exchanges' files yet: upload them on Cryptact's own site instead.</source>
      <translation>「{text}」に一致する取引所はありません。
その他の取引所のファイルはこのアプリではまだ読み込めません。クリプタクトのサイトに直接アップロードしてください。</translation>
    </message>
  </context>
  <context>
    <name>VerificationPanel</name>
    <message>
      <source>Warning</source>
      <translation>警告</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>エラー</translation>
    </message>
  </context>
  <context>
    <name>assistant</name>
    <message>
      <source>Select at least one exchange or blockchain.</source>
      <translation>取引所またはブロックチェーンを1つ以上選択してください。</translation>
    </message>
    <message>
      <source>Unknown exchange: {id}</source>
      <translation>不明な取引所です: {id}</translation>
    </message>
    <message>
      <source>{name} is not supported yet: neither API sync nor files.</source>
      <translation>{name} にはまだ対応していません（API同期もファイルも未対応）。</translation>
    </message>
    <message>
      <source>Wallet added — {count} wallet(s), {records} records</source>
      <translation>ウォレットを追加済み — ウォレット {count} 件、{records} 件のレコード</translation>
    </message>
    <message>
      <source>{count} API key(s)</source>
      <translation>APIキー {count} 件</translation>
    </message>
    <message>
      <source>{count} file(s)</source>
      <translation>ファイル {count} 件</translation>
    </message>
    <message>
      <source>{count} records</source>
      <translation>{count} 件のレコード</translation>
    </message>
    <message>
      <source>{state} — {details}</source>
      <translation>{state} — {details}</translation>
    </message>
    <message>
      <source>{label} (files only)</source>
      <translation>{label}（ファイルのみ）</translation>
    </message>
    <message>
      <source>A new account for files only</source>
      <translation>ファイル専用の新しいアカウント</translation>
    </message>
    <message>
      <source>Nothing added yet: add a wallet address later with “+”.</source>
      <translation>まだ何も追加されていません。あとで「+」からウォレットアドレスを追加してください。</translation>
    </message>
    <message>
      <source>Nothing added yet: add an API key or upload a file later with “+”.</source>
      <translation>まだ何も追加されていません。あとで「+」からAPIキーを追加するか、ファイルをアップロードしてください。</translation>
    </message>
    <message>
      <source>{files} file(s), {records} records from files; no API key to sync.</source>
      <translation>ファイル {files} 件、ファイルから {records} 件のレコード。同期するAPIキーはありません。</translation>
    </message>
    <message>
      <source>Paused: not synced now.</source>
      <translation>一時停止中: 今は同期しません。</translation>
    </message>
    <message>
      <source>Will sync {count} endpoint(s): {names}.</source>
      <translation>{count} 個のエンドポイントを同期します: {names}。</translation>
    </message>
    <message>
      <source>{files} file(s) imported: each record is kept once.</source>
      <translation>ファイル {files} 件をインポートしました。各レコードは1回だけ保存されます。</translation>
    </message>
    <message>
      <source>API sync and file upload</source>
      <translation>API同期とファイルアップロード</translation>
    </message>
    <message>
      <source>API sync</source>
      <translation>API同期</translation>
    </message>
    <message>
      <source>File upload only</source>
      <translation>ファイルアップロードのみ</translation>
    </message>
    <message>
      <source>Not supported yet</source>
      <translation>未対応</translation>
    </message>
    <message>
      <source>Nothing yet</source>
      <translation>まだありません</translation>
    </message>
    <message>
      <source>API key added</source>
      <translation>APIキーを追加済み</translation>
    </message>
    <message>
      <source>API key added, but its sync failed: see the key in the main window</source>
      <translation>APIキーを追加済みですが、同期に失敗しました: メインウィンドウでキーを確認してください</translation>
    </message>
    <message>
      <source>File imported</source>
      <translation>ファイルをインポート済み</translation>
    </message>
    <message>
      <source>API key added and file imported</source>
      <translation>APIキーを追加し、ファイルをインポート済み</translation>
    </message>
  </context>
  <context>
    <name>catalogue</name>
    <message>
      <source>Spot trades</source>
      <translation>現物取引</translation>
    </message>
    <message>
      <source>Last 2 years (older trades: import Bybit's export file)</source>
      <translation>過去2年間（それより古い取引: Bybit のエクスポートファイルをインポート）</translation>
    </message>
    <message>
      <source>USDT/USDC perpetuals &amp; futures</source>
      <translation>USDT/USDC 無期限・先物</translation>
    </message>
    <message>
      <source>Last 2 years, including funding and settlement</source>
      <translation>過去2年間（資金調達料と決済を含む）</translation>
    </message>
    <message>
      <source>Inverse contracts</source>
      <translation>インバース契約</translation>
    </message>
    <message>
      <source>Last 2 years</source>
      <translation>過去2年間</translation>
    </message>
    <message>
      <source>Options</source>
      <translation>オプション</translation>
    </message>
    <message>
      <source>Last 2 years (BTC, ETH, SOL and XRP options)</source>
      <translation>過去2年間（BTC・ETH・SOL・XRP のオプション）</translation>
    </message>
    <message>
      <source>Unified account transaction log</source>
      <translation>統合アカウントの取引ログ</translation>
    </message>
    <message>
      <source>Deposits</source>
      <translation>入金</translation>
    </message>
    <message>
      <source>Full history since 2018 (on-chain and internal)</source>
      <translation>2018年以降の全履歴（オンチェーンと内部送金）</translation>
    </message>
    <message>
      <source>Withdrawals</source>
      <translation>出金</translation>
    </message>
    <message>
      <source>Full history since 2018 (on-chain and internal; main account keys only)</source>
      <translation>2018年以降の全履歴（オンチェーンと内部送金。メインアカウントのキーのみ）</translation>
    </message>
    <message>
      <source>Transfers</source>
      <translation>振替</translation>
    </message>
    <message>
      <source>Last 2 years (between your accounts and sub-accounts)</source>
      <translation>過去2年間（自分のアカウントとサブアカウントの間）</translation>
    </message>
    <message>
      <source>Convert</source>
      <translation>交換</translation>
    </message>
    <message>
      <source>What Bybit returns (web converts only since 2025-09-10)</source>
      <translation>Bybit が返す範囲（Webでの交換は2025-09-10以降のみ）</translation>
    </message>
    <message>
      <source>Earn</source>
      <translation>Earn</translation>
    </message>
    <message>
      <source>Yield: last 3 months only — sync at least every 3 months</source>
      <translation>利回り: 過去3か月のみ — 3か月に1回以上同期してください</translation>
    </message>
    <message>
      <source>Global (api.bybit.com)</source>
      <translation>グローバル（api.bybit.com）</translation>
    </message>
    <message>
      <source>Global, alternative (api.bytick.com)</source>
      <translation>グローバル・代替（api.bytick.com）</translation>
    </message>
    <message>
      <source>Netherlands (bybit.nl)</source>
      <translation>オランダ（bybit.nl）</translation>
    </message>
    <message>
      <source>Türkiye (bybit-tr.com)</source>
      <translation>トルコ（bybit-tr.com）</translation>
    </message>
    <message>
      <source>Kazakhstan (bybit.kz)</source>
      <translation>カザフスタン（bybit.kz）</translation>
    </message>
    <message>
      <source>Georgia (bybitgeorgia.ge)</source>
      <translation>ジョージア（bybitgeorgia.ge）</translation>
    </message>
    <message>
      <source>UAE (bybit.ae)</source>
      <translation>アラブ首長国連邦（bybit.ae）</translation>
    </message>
    <message>
      <source>EEA (bybit.eu)</source>
      <translation>欧州経済領域（bybit.eu）</translation>
    </message>
    <message>
      <source>Indonesia (bybit.id)</source>
      <translation>インドネシア（bybit.id）</translation>
    </message>
    <message>
      <source>Japan (manepa.jp)</source>
      <translation>日本（manepa.jp）</translation>
    </message>
    <message>
      <source>Testnet (api-testnet.bybit.com)</source>
      <translation>テストネット（api-testnet.bybit.com）</translation>
    </message>
    <message>
      <source>Demo trading (api-demo.bybit.com)</source>
      <translation>デモ取引（api-demo.bybit.com）</translation>
    </message>
    <message>
      <source>API key</source>
      <translation>APIキー</translation>
    </message>
    <message>
      <source>Secret key</source>
      <translation>シークレットキー</translation>
    </message>
    <message>
      <source>Lightning trades (spot and Crypto CFD)</source>
      <translation>Lightning の取引（現物と暗号資産CFD）</translation>
    </message>
    <message>
      <source>All that the API lists, no documented limit; pairs no longer listed are found through the balance history; older history: import bitFlyer's trade history report</source>
      <translation>APIが返すすべて（期間の制限は公表されていません）。上場廃止の通貨ペアは残高履歴から見つけます。それより古い履歴: bitFlyer の取引履歴レポートをインポート</translation>
    </message>
    <message>
      <source>Balance history (retail desk trades, fees, other changes)</source>
      <translation>残高履歴（販売所の取引、手数料、その他の変動）</translation>
    </message>
    <message>
      <source>All that the API lists, per currency, no documented limit; older history: import bitFlyer's trade history report</source>
      <translation>通貨ごとにAPIが返すすべて（期間の制限は公表されていません）。それより古い履歴: bitFlyer の取引履歴レポートをインポート</translation>
    </message>
    <message>
      <source>Crypto deposits</source>
      <translation>暗号資産の入金</translation>
    </message>
    <message>
      <source>All that the API lists, no documented limit; older history: import bitFlyer's trade history report</source>
      <translation>APIが返すすべて（期間の制限は公表されていません）。それより古い履歴: bitFlyer の取引履歴レポートをインポート</translation>
    </message>
    <message>
      <source>Crypto withdrawals</source>
      <translation>暗号資産の出金</translation>
    </message>
    <message>
      <source>JPY deposits</source>
      <translation>日本円の入金</translation>
    </message>
    <message>
      <source>JPY withdrawals</source>
      <translation>日本円の出金</translation>
    </message>
    <message>
      <source>All that the API lists, no documented limit (fees are in the balance history); older history: import bitFlyer's trade history report</source>
      <translation>APIが返すすべて（期間の制限は公表されていません。手数料は残高履歴にあります）。それより古い履歴: bitFlyer の取引履歴レポートをインポート</translation>
    </message>
    <message>
      <source>Crypto CFD margin history (realised P&amp;L, funding)</source>
      <translation>暗号資産CFDの証拠金履歴（実現損益、資金調達料）</translation>
    </message>
    <message>
      <source>bitFlyer (api.bitflyer.com)</source>
      <translation>bitFlyer（api.bitflyer.com）</translation>
    </message>
    <message>
      <source>The API has no list of all your trades: pairs are found from your balances, deposits, withdrawals, converts, dust, Earn, fiat and transfer history (older than the sync start too) and the pairs Binance lists for those coins. A pair Binance no longer lists cannot be fetched (it is named on this row): import Binance's export file for what the API no longer gives</source>
      <translation>APIにはすべての取引の一覧がありません。通貨ペアは残高、入金、出金、交換、少額資産の交換、Earn、法定通貨、振替の履歴（同期開始日より前のものも）と、それらの通貨について Binance が上場しているペアから見つけます。Binance が上場を廃止したペアは取得できません（この行に表示されます）。APIで取得できないものは Binance のエクスポートファイルをインポートしてください</translation>
    </message>
    <message>
      <source>Margin trades (cross and isolated)</source>
      <translation>マージン取引（クロス・分離）</translation>
    </message>
    <message>
      <source>All that the API lists, per pair (the pairs of your spot history and your isolated margin pairs); import Binance's export file for what the API no longer gives</source>
      <translation>通貨ペアごとにAPIが返すすべて（現物履歴のペアと分離マージンのペア）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>All that the API lists, in 90-day windows; import Binance's export file for what the API no longer gives</source>
      <translation>APIが返すすべて（90日ごとに取得）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Convert trades</source>
      <translation>交換（Convert）</translation>
    </message>
    <message>
      <source>All that the API lists, in 30-day windows (60 windows a minute at most); import Binance's export file for what the API no longer gives</source>
      <translation>APIが返すすべて（30日ごとに取得、1分間に最大60期間）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Small balances converted to BNB (dust)</source>
      <translation>少額資産のBNBへの交換（ダスト）</translation>
    </message>
    <message>
      <source>Only since 1 December 2020, at most 100 conversions a request (older ones are asked for by date, before the oldest one listed); import Binance's export file for what the API no longer gives</source>
      <translation>2020年12月1日以降のみ、1回のリクエストで最大100件（それより古いものは、返された最も古い交換より前の日付を指定して取得）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Simple Earn rewards (flexible and locked)</source>
      <translation>シンプルEarnの報酬（フレキシブル・ロック）</translation>
    </message>
    <message>
      <source>All that the API lists, in 3-month windows; import Binance's export file for what the API no longer gives</source>
      <translation>APIが返すすべて（3か月ごとに取得）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Fiat deposits and withdrawals (bank)</source>
      <translation>法定通貨の入出金（銀行）</translation>
    </message>
    <message>
      <source>Since January 2019 (when Binance first took fiat), in 89-day windows; Binance allows two requests a minute here, so a long history takes a while (set the key's sync start to when the account was opened); import Binance's export file for what the API no longer gives</source>
      <translation>2019年1月（Binance が法定通貨の取り扱いを始めた時期）以降、89日ごとに取得。ここでは Binance が1分間に2回のリクエストしか認めないため、長い履歴には時間がかかります（キーの同期開始日をアカウント開設日に設定してください）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Card purchases and sales</source>
      <translation>カードでの購入・売却</translation>
    </message>
    <message>
      <source>Since January 2019, in 89-day windows; import Binance's export file for what the API no longer gives</source>
      <translation>2019年1月以降、89日ごとに取得。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Transfers between your Binance wallets</source>
      <translation>Binance のウォレット間の振替</translation>
    </message>
    <message>
      <source>Only the last 6 months; older transfers are in Binance's transaction history statement</source>
      <translation>過去6か月分のみ。それより古い振替は Binance の取引履歴明細書にあります</translation>
    </message>
    <message>
      <source>USDS-M futures income (realised P&amp;L, funding, fees)</source>
      <translation>USDS-M先物の損益（実現損益、資金調達料、手数料）</translation>
    </message>
    <message>
      <source>Only the last 3 months: sync at least every 3 months, or download the futures transaction history from Binance for older months</source>
      <translation>過去3か月分のみ。少なくとも3か月ごとに同期するか、それより古い月は Binance から先物の取引履歴をダウンロードしてください</translation>
    </message>
    <message>
      <source>COIN-M futures income (realised P&amp;L, funding, fees)</source>
      <translation>COIN-M先物の損益（実現損益、資金調達料、手数料）</translation>
    </message>
    <message>
      <source>All that the API lists, in 1-year windows; import Binance's export file for what the API no longer gives</source>
      <translation>APIが返すすべて（1年ごとに取得）。APIで取得できないものは Binance のエクスポートファイルをインポート</translation>
    </message>
    <message>
      <source>Binance (api.binance.com)</source>
      <translation>Binance（api.binance.com）</translation>
    </message>
    <message>
      <source>Binance (api-gcp.binance.com)</source>
      <translation>Binance（api-gcp.binance.com）</translation>
    </message>
    <message>
      <source>Binance Japan (api.binance.com)</source>
      <translation>Binance Japan（api.binance.com）</translation>
    </message>
    <message>
      <source>On-chain transactions</source>
      <translation>オンチェーン取引</translation>
    </message>
    <message>
      <source>The whole history of every address of the wallet (unconfirmed transactions come once they are in a block)</source>
      <translation>ウォレットの全アドレスの全履歴（未承認のトランザクションはブロックに取り込まれてから反映されます）</translation>
    </message>
    <message>
      <source>Blockstream Esplora (blockstream.info)</source>
      <translation>Blockstream Esplora（blockstream.info）</translation>
    </message>
    <message>
      <source>mempool.space</source>
      <translation>mempool.space</translation>
    </message>
    <message>
      <source>Address or extended public key</source>
      <translation>アドレスまたは拡張公開鍵</translation>
    </message>
    <message>
      <source>bc1q…, 1…, 3…, or the account's xpub, ypub or zpub</source>
      <translation>bc1q…、1…、3…、またはアカウントの xpub・ypub・zpub</translation>
    </message>
    <message>
      <source>Ledger transactions</source>
      <translation>レジャーの取引</translation>
    </message>
    <message>
      <source>Every validated transaction of the address: payments in and out (what was delivered), fees, failed transactions' fees, trades on the ledger's exchange and issued tokens</source>
      <translation>アドレスの検証済みトランザクションすべて: 入出金（実際に届いた数量）、手数料、失敗したトランザクションの手数料、レジャー上の取引所（DEX）での取引、発行トークン</translation>
    </message>
    <message>
      <source>XRPL Cluster (xrplcluster.com, full history)</source>
      <translation>XRPL Cluster（xrplcluster.com、全履歴）</translation>
    </message>
    <message>
      <source>Ripple full-history server (s2.ripple.com)</source>
      <translation>Ripple の全履歴サーバー（s2.ripple.com）</translation>
    </message>
    <message>
      <source>XRP Ledger address</source>
      <translation>XRP Ledger のアドレス</translation>
    </message>
    <message>
      <source>r… (the wallet's classic address)</source>
      <translation>r…（ウォレットのクラシックアドレス）</translation>
    </message>
    <message>
      <source>The whole history: coin and ERC-20 token transfers and gas fees, merged per transaction (NFT transfers and validator withdrawals are not read)</source>
      <translation>全履歴: コインと ERC-20 トークンの送受信とガス代（トランザクションごとにまとめます。NFT の送受信とバリデーターの引き出しは読み取りません）</translation>
    </message>
    <message>
      <source>Etherscan API v2 (your free API key)</source>
      <translation>Etherscan の API v2（無料の APIキー）</translation>
    </message>
    <message>
      <source>Blockscout (no key needed)</source>
      <translation>Blockscout（キー不要）</translation>
    </message>
    <message>
      <source>Wallet address</source>
      <translation>ウォレットアドレス</translation>
    </message>
    <message>
      <source>Etherscan API key (optional; Blockscout needs none)</source>
      <translation>Etherscan の APIキー（任意。Blockscout では不要）</translation>
    </message>
    <message>
      <source>0x… (the address your wallet app shows)</source>
      <translation>0x…（ウォレットアプリに表示されるアドレス）</translation>
    </message>
    <message>
      <source>Your free key from etherscan.io (API dashboard)</source>
      <translation>etherscan.io で無料で発行できるキー（API ダッシュボード）</translation>
    </message>
    <message>
      <source>The whole history: coin and ERC-20 token transfers and gas fees, merged per transaction (NFT transfers are not read, and the gas leaves out the rollup's L1 data fee)</source>
      <translation>全履歴: コインと ERC-20 トークンの送受信とガス代（トランザクションごとにまとめます。NFT の送受信は読み取らず、ガス代にロールアップの L1 データ手数料は含まれません）</translation>
    </message>
  </context>
  <context>
    <name>cli</name>
    <message>
      <source>Cancelled.</source>
      <translation>キャンセルしました。</translation>
    </message>
    <message>
      <source>The graphical interface cannot start: {reason}</source>
      <translation>グラフィカル画面を起動できません: {reason}</translation>
    </message>
    <message>
      <source>The command line still works: cryptact-desktop --help</source>
      <translation>コマンドラインは引き続き使えます: cryptact-desktop --help</translation>
    </message>
    <message>
      <source>Unknown exchange {name}. Valid exchanges: {valid}</source>
      <translation>不明な取引所 {name} です。有効な取引所: {valid}</translation>
    </message>
    <message>
      <source>Unknown endpoint(s) for {exchange}: {unknown}. Valid endpoints: {valid}</source>
      <translation>{exchange} の不明なエンドポイント: {unknown}。有効なエンドポイント: {valid}</translation>
    </message>
    <message>
      <source>Separate several with commas, e.g. "spot,deposits"; "all" selects every endpoint.</source>
      <translation>複数の場合はカンマで区切ります（例: "spot,deposits"）。"all" ですべてのエンドポイントを選択します。</translation>
    </message>
    <message>
      <source>Choose at least one endpoint. Valid endpoints: {valid}</source>
      <translation>エンドポイントを1つ以上選んでください。有効なエンドポイント: {valid}</translation>
    </message>
    <message>
      <source>Cannot read the date {value!r}</source>
      <translation>日付 {value!r} を読み取れません</translation>
    </message>
    <message>
      <source>Use a date such as 2024-01-01 or a UTC time such as 2024-01-01T00:00:00Z.</source>
      <translation>2024-01-01 のような日付、または 2024-01-01T00:00:00Z のようなUTC時刻を指定してください。</translation>
    </message>
    <message>
      <source>The sync-from date {value} is in the future</source>
      <translation>同期開始日 {value} が未来の日付です</translation>
    </message>
    <message>
      <source>Unknown API host {host} for {exchange}. Valid hosts: {valid}</source>
      <translation>{exchange} の不明なAPIホスト {host} です。有効なホスト: {valid}</translation>
    </message>
    <message>
      <source>--base-url is only used with --host custom</source>
      <translation>--base-url は --host custom と一緒にのみ使います</translation>
    </message>
    <message>
      <source>--host custom needs --base-url URL</source>
      <translation>--host custom には --base-url URL が必要です</translation>
    </message>
    <message>
      <source>The custom API URL is refused: {reason}</source>
      <translation>カスタムAPI URLは使えません: {reason}</translation>
    </message>
    <message>
      <source>For example https://api.example.com or http://127.0.0.1:8080 for the demo server.</source>
      <translation>例: https://api.example.com、デモサーバーなら http://127.0.0.1:8080</translation>
    </message>
    <message>
      <source>A label cannot be only digits: a number on the command line means a key id.</source>
      <translation>ラベルを数字だけにはできません。コマンドラインでは数字はキーIDを意味します。</translation>
    </message>
    <message>
      <source>A key labelled {label!r} already exists (id {id})</source>
      <translation>ラベル {label!r} のキーはすでにあります（ID {id}）</translation>
    </message>
    <message>
      <source>Labels must be unique so that commands can name keys by label.</source>
      <translation>コマンドでラベルによりキーを指定できるよう、ラベルは重複しないようにしてください。</translation>
    </message>
    <message>
      <source>Several keys are labelled {label!r}</source>
      <translation>ラベル {label!r} のキーが複数あります</translation>
    </message>
    <message>
      <source>Name the key by its id: {ids}.</source>
      <translation>キーをIDで指定してください: {ids}。</translation>
    </message>
    <message>
      <source>No key with the id or label {key!r}</source>
      <translation>IDまたはラベルが {key!r} のキーはありません</translation>
    </message>
    <message>
      <source>Run `keys list` to see the keys and their ids.</source>
      <translation>`keys list` を実行するとキーとIDを確認できます。</translation>
    </message>
    <message>
      <source>API key</source>
      <translation>APIキー</translation>
    </message>
    <message>
      <source>API secret</source>
      <translation>APIシークレット</translation>
    </message>
    <message>
      <source>Passphrase</source>
      <translation>パスフレーズ</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>ラベル</translation>
    </message>
    <message>
      <source>Endpoints</source>
      <translation>エンドポイント</translation>
    </message>
    <message>
      <source>Error: {message}</source>
      <translation>エラー: {message}</translation>
    </message>
    <message>
      <source>Edit key {id} instead, or remove one of the two keys.</source>
      <translation>代わりにキー {id} を編集するか、2つのキーのどちらかを削除してください。</translation>
    </message>
    <message>
      <source>Unexpected error ({kind}): {detail}</source>
      <translation>予期しないエラー（{kind}）: {detail}</translation>
    </message>
    <message>
      <source>Details are in the log file {path}</source>
      <translation>詳細はログファイル {path} にあります</translation>
    </message>
    <message>
      <source>Credentials are never taken from the command line. They come from environment variables, else from standard input: piped in, one field per line in the order listed below; on a terminal, asked for one by one (secret fields without echo). A multi-line field (a PEM private key) goes on one line, with \n for each line break. Set the variables of all required fields, or of none.</source>
      <translation>認証情報はコマンドラインからは受け取りません。環境変数から、なければ標準入力から読み取ります: パイプでは下に示す順に1行に1項目、端末では1項目ずつ尋ねます（シークレットは表示しません）。複数行の項目（PEM秘密鍵）は、改行ごとに \n を入れて1行にします。必須項目の変数はすべて設定するか、1つも設定しないでください。</translation>
    </message>
    <message>
      <source>Fields in order, with their variables:</source>
      <translation>項目（順番どおり）と対応する変数:</translation>
    </message>
    <message>
      <source>optional</source>
      <translation>任意</translation>
    </message>
    <message>
      <source>multi-line</source>
      <translation>複数行</translation>
    </message>
    <message>
      <source>on one line, \n for each line break</source>
      <translation>1行で、改行ごとに \n</translation>
    </message>
    <message>
      <source>optional, Enter to skip</source>
      <translation>任意、Enter で省略</translation>
    </message>
    <message>
      <source>Only some of the credential variables are set; missing: {missing}</source>
      <translation>認証情報の変数が一部しか設定されていません。不足: {missing}</translation>
    </message>
    <message>
      <source>Set {variables}, or none of them to read the fields from standard input.</source>
      <translation>{variables} を設定するか、標準入力から読み取る場合はどれも設定しないでください。</translation>
    </message>
    <message>
      <source>No API key and secret given</source>
      <translation>APIキーとシークレットが指定されていません</translation>
    </message>
    <message>
      <source>Set {variables}, or pipe the fields in, one per line in this order: {order}.</source>
      <translation>{variables} を設定するか、次の順に1行に1項目ずつパイプで渡してください: {order}。</translation>
    </message>
    <message>
      <source>It was read from {variable}.</source>
      <translation>{variable} から読み取りました。</translation>
    </message>
    <message>
      <source>It was read from line {line} of standard input; the fields go one per line in this order: {order}.</source>
      <translation>標準入力の {line} 行目から読み取りました。項目は次の順に1行に1つずつ渡します: {order}。</translation>
    </message>
    <message>
      <source>No backups of {path} yet.</source>
      <translation>{path} のバックアップはまだありません。</translation>
    </message>
    <message>
      <source>There is no backup of {path}</source>
      <translation>{path} のバックアップがありません</translation>
    </message>
    <message>
      <source>Move the damaged file away (keep it for support) to start with a new database.</source>
      <translation>新しいデータベースで始めるには、壊れたファイルを別の場所に移してください（サポート用に保管しておいてください）。</translation>
    </message>
    <message>
      <source>The database {path} is not damaged</source>
      <translation>データベース {path} は壊れていません</translation>
    </message>
    <message>
      <source>Restoring would drop what changed since the backup; add --force to restore anyway.</source>
      <translation>復元するとバックアップ以降の変更が失われます。それでも復元するには --force を付けてください。</translation>
    </message>
    <message>
      <source>The backup could not be restored: {reason}</source>
      <translation>バックアップを復元できませんでした: {reason}</translation>
    </message>
    <message>
      <source>Nothing was changed. Choose another backup with --file (see --list).</source>
      <translation>何も変更されていません。--file で別のバックアップを選んでください（--list で一覧を表示）。</translation>
    </message>
    <message>
      <source>Restored the backup of {when}.</source>
      <translation>{when} のバックアップを復元しました。</translation>
    </message>
    <message>
      <source>The previous database file is kept as {path}.</source>
      <translation>以前のデータベースファイルは {path} として残してあります。</translation>
    </message>
    <message>
      <source>Run sync to fetch what happened since the backup (and import files added since again).</source>
      <translation>sync を実行して、バックアップ以降の履歴を取得してください（その後に追加したファイルももう一度インポートしてください）。</translation>
    </message>
    <message>
      <source>run an exchange's simulator on this computer: --exchange {choices} (default {default}); the other arguments go to the simulator, try demo-server --help</source>
      <translation>取引所のシミュレーターをこのコンピューターで実行: --exchange {choices}（既定 {default}）。その他の引数はシミュレーターに渡されます。demo-server --help を参照</translation>
    </message>
    <message>
      <source>{option} needs an exchange id</source>
      <translation>{option} には取引所IDが必要です</translation>
    </message>
    <message>
      <source>No exchange simulator is available in this build</source>
      <translation>このビルドには取引所シミュレーターがありません</translation>
    </message>
    <message>
      <source>There is no simulator for the exchange {name}. Simulators: {valid}</source>
      <translation>取引所 {name} のシミュレーターはありません。シミュレーター: {valid}</translation>
    </message>
    <message>
      <source>Choose one with {option} ID.</source>
      <translation>{option} ID で選んでください。</translation>
    </message>
    <message>
      <source>Runs an exchange's simulator on this computer until Ctrl-C ({option}, default: {default}). The other options belong to the {exchange} simulator:</source>
      <translation>取引所のシミュレーターを Ctrl-C までこのコンピューターで実行します（{option}、既定: {default}）。その他のオプションは {exchange} シミュレーターのものです:</translation>
    </message>
    <message>
      <source>Unknown export format {format}. Available now: {valid}</source>
      <translation>不明なエクスポート形式 {format} です。使用可能: {valid}</translation>
    </message>
    <message>
      <source>{path} is a directory: give a file name</source>
      <translation>{path} はディレクトリです。ファイル名を指定してください</translation>
    </message>
    <message>
      <source>Cannot write {path}: {reason}</source>
      <translation>{path} に書き込めません: {reason}</translation>
    </message>
    <message>
      <source>Check that the folder exists and is writable.</source>
      <translation>フォルダーが存在し、書き込めることを確認してください。</translation>
    </message>
    <message>
      <source>Exported {count} transactions to {path}</source>
      <translation>{count} 件の取引を {path} にエクスポートしました</translation>
    </message>
    <message>
      <source>Unknown time zone {tz}: use a name like UTC or Asia/Tokyo</source>
      <translation>不明なタイムゾーン {tz} です。UTC や Asia/Tokyo のような名前を使ってください</translation>
    </message>
    <message>
      <source> and {more} more</source>
      <translation> ほか {more} 行</translation>
    </message>
    <message>
      <source> (rows {rows})</source>
      <translation>（行 {rows}）</translation>
    </message>
    <message>
      <source>Say which exchange the file is from: --exchange ID (or --key KEY)</source>
      <translation>ファイルの取引所を指定してください: --exchange ID（または --key KEY）</translation>
    </message>
    <message>
      <source>Note:</source>
      <translation>注:</translation>
    </message>
    <message>
      <source>WARNING: {message} — {hint}</source>
      <translation>警告: {message} — {hint}</translation>
    </message>
    <message>
      <source>{exchange} did not confirm that this key is valid.</source>
      <translation>{exchange} はこのキーが有効であることを確認しませんでした。</translation>
    </message>
    <message>
      <source>This key is not read-only. This app only reads; a read-only key is safer.</source>
      <translation>このキーは読み取り専用ではありません。このアプリは読み取りしか行わないため、読み取り専用のキーのほうが安全です。</translation>
    </message>
    <message>
      <source>WARNING: {warning}</source>
      <translation>警告: {warning}</translation>
    </message>
    <message>
      <source>main account</source>
      <translation>メインアカウント</translation>
    </message>
    <message>
      <source>sub-account</source>
      <translation>サブアカウント</translation>
    </message>
    <message>
      <source>(none reported)</source>
      <translation>（報告なし）</translation>
    </message>
    <message>
      <source>Read-only</source>
      <translation>読み取り専用</translation>
    </message>
    <message>
      <source>Permissions</source>
      <translation>権限</translation>
    </message>
    <message>
      <source>Account UID</source>
      <translation>アカウントUID</translation>
    </message>
    <message>
      <source>IP restricted</source>
      <translation>IP制限</translation>
    </message>
    <message>
      <source>Expires</source>
      <translation>有効期限</translation>
    </message>
    <message>
      <source>no expiry reported</source>
      <translation>有効期限の報告なし</translation>
    </message>
    <message>
      <source>Key verified with {exchange}:</source>
      <translation>{exchange} でキーを確認しました:</translation>
    </message>
    <message>
      <source>Note: {note}</source>
      <translation>注: {note}</translation>
    </message>
    <message>
      <source>{exchange} has no sub-accounts</source>
      <translation>{exchange} にはサブアカウントがありません</translation>
    </message>
    <message>
      <source>Run the same command with --replace to give key {id} this API key (its history is kept), or remove key {id} first: two keys of one account would fetch and count everything twice.</source>
      <translation>キー {id} にこのAPIキーを設定するには同じコマンドを --replace 付きで実行するか（履歴は保持されます）、先にキー {id} を削除してください。1つのアカウントに2つのキーがあると、すべてを二重に取得・計上してしまいます。</translation>
    </message>
    <message>
      <source>Replaced the API key of key {id} ({label}): the same account. Its history is kept.</source>
      <translation>キー {id}（{label}）のAPIキーを差し替えました（同じアカウント）。履歴は保持されます。</translation>
    </message>
    <message>
      <source>Saved key {id}: {label}</source>
      <translation>キー {id} を保存しました: {label}</translation>
    </message>
    <message>
      <source>Endpoints: {endpoints}</source>
      <translation>エンドポイント: {endpoints}</translation>
    </message>
    <message>
      <source>No keys yet. Add one with `keys add`.</source>
      <translation>まだキーがありません。`keys add` で追加してください。</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>ID</translation>
    </message>
    <message>
      <source>Exchange</source>
      <translation>取引所</translation>
    </message>
    <message>
      <source>Subaccount</source>
      <translation>サブアカウント</translation>
    </message>
    <message>
      <source>Host</source>
      <translation>ホスト</translation>
    </message>
    <message>
      <source>Sync from</source>
      <translation>同期の開始</translation>
    </message>
    <message>
      <source>Paused</source>
      <translation>一時停止中</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状態</translation>
    </message>
    <message>
      <source>Last sync</source>
      <translation>最終同期</translation>
    </message>
    <message>
      <source>Records</source>
      <translation>レコード</translation>
    </message>
    <message>
      <source>Nothing to change</source>
      <translation>変更するものがありません</translation>
    </message>
    <message>
      <source>Give at least one option; see `keys edit --help`.</source>
      <translation>オプションを1つ以上指定してください。`keys edit --help` を参照。</translation>
    </message>
    <message>
      <source>WARNING: the new key belongs to another {exchange} account (UID {new}, was {old}).</source>
      <translation>警告: 新しいキーは別の {exchange} アカウントのものです（UID {new}、以前は {old}）。</translation>
    </message>
    <message>
      <source>Updated key {id}: {label}</source>
      <translation>キー {id} を更新しました: {label}</translation>
    </message>
    <message>
      <source>The API key and secret were replaced.</source>
      <translation>APIキーとシークレットを差し替えました。</translation>
    </message>
    <message>
      <source>Removed key {id} ({label}) and its {count} transactions.</source>
      <translation>キー {id}（{label}）とその取引 {count} 件を削除しました。</translation>
    </message>
    <message>
      <source>Removed key {id} ({label}); its {count} transactions were kept (the key stays listed, paused, as removed).</source>
      <translation>キー {id}（{label}）を削除しました。取引 {count} 件は残しました（キーは削除済み・一時停止として一覧に残ります）。</translation>
    </message>
    <message>
      <source>error</source>
      <translation>エラー</translation>
    </message>
    <message>
      <source>unknown options: {options}</source>
      <translation>不明なオプション: {options}</translation>
    </message>
    <message>
      <source>{count} unexpected value(s), not shown</source>
      <translation>想定外の値 {count} 個（非表示）</translation>
    </message>
    <message>
      <source>Secrets are never taken from the command line: use {key_var}/{secret_var} or standard input.</source>
      <translation>シークレットはコマンドラインからは受け取りません: {key_var}/{secret_var} または標準入力を使ってください。</translation>
    </message>
    <message>
      <source>print JSON</source>
      <translation>JSONで出力</translation>
    </message>
    <message>
      <source>Sync crypto exchange history with read-only API keys, without the window.</source>
      <translation>読み取り専用のAPIキーで暗号資産取引所の履歴を同期します（ウィンドウなし）。</translation>
    </message>
    <message>
      <source>Secrets are never taken from the command line: set CRYPTACT_API_KEY and CRYPTACT_API_SECRET (and the other variables `keys add --help` lists for the exchange), or pipe them in on standard input, one per line. Exit codes: 0 ok, 1 unexpected error, 2 usage or input error, 3 failed (for `status`: not every endpoint ok), 4 cancelled, 5 `status` only: a sync is running now.</source>
      <translation>シークレットはコマンドラインからは受け取りません。CRYPTACT_API_KEY と CRYPTACT_API_SECRET（および `keys add --help` が取引所ごとに示すその他の変数）を設定するか、標準入力から1行に1つずつ渡してください。終了コード: 0 正常、1 予期しないエラー、2 使い方または入力のエラー、3 失敗（`status` では、正常でないエンドポイントがある）、4 キャンセル、5 `status` のみ: 現在同期中。</translation>
    </message>
    <message>
      <source>data directory (default: $CRYPTACT_DESKTOP_DATA_DIR, else the per-user data folder)</source>
      <translation>データディレクトリ（既定: $CRYPTACT_DESKTOP_DATA_DIR、なければユーザーごとのデータフォルダー）</translation>
    </message>
    <message>
      <source>print JSON where it applies</source>
      <translation>該当する場合はJSONで出力</translation>
    </message>
    <message>
      <source>add, list, edit and remove API keys</source>
      <translation>APIキーの追加・一覧・編集・削除</translation>
    </message>
    <message>
      <source>add an API key (the secret is read from the environment or standard input)</source>
      <translation>APIキーを追加（シークレットは環境変数または標準入力から読み取ります）</translation>
    </message>
    <message>
      <source>Add an API key: check it with the exchange, then keep its credentials in the keyring.</source>
      <translation>APIキーを追加します: 取引所で確認してから、認証情報をキーリングに保管します。</translation>
    </message>
    <message>
      <source>the exchange</source>
      <translation>取引所</translation>
    </message>
    <message>
      <source>a unique name for the key</source>
      <translation>キーの一意な名前</translation>
    </message>
    <message>
      <source>the sub-account the key belongs to, if any</source>
      <translation>キーが属するサブアカウント（ある場合）</translation>
    </message>
    <message>
      <source>API site: {hosts} or custom (default: the first)</source>
      <translation>APIサイト: {hosts} または custom（既定: 最初のもの）</translation>
    </message>
    <message>
      <source>API base URL for --host custom</source>
      <translation>--host custom で使うAPIのベースURL</translation>
    </message>
    <message>
      <source>fetch history from this date (2024-01-01) or UTC time (2024-01-01T00:00:00Z)</source>
      <translation>この日付（2024-01-01）またはUTC時刻（2024-01-01T00:00:00Z）から履歴を取得</translation>
    </message>
    <message>
      <source>comma-separated ids from: {ids}; or all (default: the recommended ones)</source>
      <translation>次のIDをカンマ区切りで: {ids}。または all（既定: 推奨のもの）</translation>
    </message>
    <message>
      <source>save without asking the exchange</source>
      <translation>取引所に確認せずに保存</translation>
    </message>
    <message>
      <source>if another key already reads this exchange account (and sub-account), give that key this API key instead of adding a second one (its history is kept)</source>
      <translation>この取引所アカウント（およびサブアカウント）を読み取るキーがすでにある場合、2つ目を追加せずにそのキーにこのAPIキーを設定する（履歴は保持されます）</translation>
    </message>
    <message>
      <source>list the keys</source>
      <translation>キーを一覧表示</translation>
    </message>
    <message>
      <source>change a key's settings or secret</source>
      <translation>キーの設定やシークレットを変更</translation>
    </message>
    <message>
      <source>key id or exact label</source>
      <translation>キーIDまたは正確なラベル</translation>
    </message>
    <message>
      <source>API site id, or custom (with --base-url)</source>
      <translation>APIサイトのID、または custom（--base-url と一緒に）</translation>
    </message>
    <message>
      <source>fetch as far back as the API reaches</source>
      <translation>APIで取得できる限り過去まで取得</translation>
    </message>
    <message>
      <source>the new set of enabled endpoints</source>
      <translation>有効にするエンドポイントの新しい組み合わせ</translation>
    </message>
    <message>
      <source>skip this key in `sync` without KEY</source>
      <translation>KEY を指定しない `sync` ではこのキーを飛ばす</translation>
    </message>
    <message>
      <source>read new credentials like `keys add` does (the exchange's fields, see below)</source>
      <translation>`keys add` と同じように新しい認証情報を読み取る（取引所の項目は下記参照）</translation>
    </message>
    <message>
      <source>with --credentials: save without asking the exchange</source>
      <translation>--credentials と一緒に: 取引所に確認せずに保存</translation>
    </message>
    <message>
      <source>remove a key and its secret (say what happens to its transactions)</source>
      <translation>キーとシークレットを削除（取引をどうするか指定）</translation>
    </message>
    <message>
      <source>keep the fetched transactions for export</source>
      <translation>取得済みの取引をエクスポート用に残す</translation>
    </message>
    <message>
      <source>delete them too</source>
      <translation>取引も削除</translation>
    </message>
    <message>
      <source>fetch new history (all keys that are not paused by default)</source>
      <translation>新しい履歴を取得（既定では一時停止中でないすべてのキー）</translation>
    </message>
    <message>
      <source>key ids or labels (paused keys too)</source>
      <translation>キーIDまたはラベル（一時停止中のキーも可）</translation>
    </message>
    <message>
      <source>only these endpoints</source>
      <translation>これらのエンドポイントのみ</translation>
    </message>
    <message>
      <source>no progress lines</source>
      <translation>進捗行を表示しない</translation>
    </message>
    <message>
      <source>show each key's sync state (exit code 0 only when all is ok: for health checks)</source>
      <translation>各キーの同期状態を表示（すべて正常なときだけ終了コード 0: ヘルスチェック用）</translation>
    </message>
    <message>
      <source>Show each key's sync state: every enabled endpoint of the keys named (of every key that is not paused without KEY). An endpoint whose sync was stopped by a crash or a kill reads as interrupted (resumable): the next sync continues it.</source>
      <translation>各キーの同期状態を表示します: 指定したキー（KEY を省略した場合は一時停止中でないすべてのキー）の有効なエンドポイントすべて。クラッシュや強制終了で同期が止まったエンドポイントは「中断（再開可能）」と表示され、次の同期で続きから再開します。</translation>
    </message>
    <message>
      <source>Exit codes: 0 every enabled endpoint is ok; 3 an endpoint failed, was never synced or was interrupted; 5 a sync is running right now (and nothing else is wrong); 2 unknown key; 1 unexpected error.</source>
      <translation>終了コード: 0 有効なエンドポイントがすべて正常、3 失敗・未同期・中断したエンドポイントがある、5 現在同期中（ほかに問題はない）、2 不明なキー、1 予期しないエラー。</translation>
    </message>
    <message>
      <source>show a key's sync log</source>
      <translation>キーの同期ログを表示</translation>
    </message>
    <message>
      <source>newest N runs (default 20)</source>
      <translation>最新 N 回の実行（既定 20）</translation>
    </message>
    <message>
      <source>write the transactions to a file</source>
      <translation>取引をファイルに書き出す</translation>
    </message>
    <message>
      <source>csv (every transaction, one row per event) or cryptact (the Cryptact custom file)</source>
      <translation>csv（すべての取引、1つの出来事につき1行）または cryptact（クリプタクトのカスタムファイル）</translation>
    </message>
    <message>
      <source>cryptact: time zone of the timestamps (default UTC)</source>
      <translation>cryptact: 日時のタイムゾーン（既定 UTC）</translation>
    </message>
    <message>
      <source>cryptact: everything, or only rows newer than the last export</source>
      <translation>cryptact: すべて、または前回のエクスポートより新しい行のみ</translation>
    </message>
    <message>
      <source>cryptact: fiat currency for income rows (default JPY)</source>
      <translation>cryptact: 収入行の法定通貨（既定 JPY）</translation>
    </message>
    <message>
      <source>csv: also the ledger's copies of trades and converts (column mirror_of), not only one row per event</source>
      <translation>csv: 1つの出来事につき1行だけでなく、台帳にある取引・交換の写し（mirror_of 列）も含める</translation>
    </message>
    <message>
      <source>only this key (repeatable)</source>
      <translation>このキーのみ（複数指定可）</translation>
    </message>
    <message>
      <source>import an exchange's history download (CSV): all of it, or nothing</source>
      <translation>取引所からダウンロードした履歴（CSV）をインポート（すべてを取り込むか、何も取り込まないか）</translation>
    </message>
    <message>
      <source>into this key's account (default: a new file-only account)</source>
      <translation>このキーのアカウントに取り込む（既定: ファイル専用の新しいアカウント）</translation>
    </message>
    <message>
      <source>the exchange (without --key)</source>
      <translation>取引所（--key を指定しない場合）</translation>
    </message>
    <message>
      <source>time zone of times whose column does not name one (default UTC)</source>
      <translation>列でタイムゾーンが示されていない日時のタイムゾーン（既定: UTC）</translation>
    </message>
    <message>
      <source>dates like 05/03/2024 are 5 March</source>
      <translation>05/03/2024 のような日付を3月5日とみなす</translation>
    </message>
    <message>
      <source>dates like 05/03/2024 are 3 May</source>
      <translation>05/03/2024 のような日付を5月3日とみなす</translation>
    </message>
    <message>
      <source>put the newest backup in place of a damaged database (the damaged file is kept)</source>
      <translation>壊れたデータベースを最新のバックアップで置き換える（壊れたファイルは残します）</translation>
    </message>
    <message>
      <source>only list the backups</source>
      <translation>バックアップの一覧だけを表示</translation>
    </message>
    <message>
      <source>restore this backup file</source>
      <translation>このバックアップファイルを復元</translation>
    </message>
    <message>
      <source>restore even though the database is not damaged</source>
      <translation>データベースが壊れていなくても復元する</translation>
    </message>
    <message>
      <source>own transfers between your keys and wallets, and the outgoing ones to classify</source>
      <translation>自分のキーとウォレット間の自己送金と、分類が必要な送金</translation>
    </message>
    <message>
      <source>list them (the default)</source>
      <translation>一覧を表示（既定）</translation>
    </message>
    <message>
      <source>say what an outgoing transfer that matches nothing was</source>
      <translation>どの入金とも一致しない送金の内容を指定</translation>
    </message>
    <message>
      <source>the transfer's ID from `transfers`</source>
      <translation>`transfers` で表示される送金のID</translation>
    </message>
    <message>
      <source>own (to my other wallet or account), sold (sold or paid for something), gift, lost; none to clear</source>
      <translation>own（自分の別のウォレットやアカウントへ）、sold（売却または支払い）、gift（贈与）、lost（紛失）。none で解除</translation>
    </message>
    <message>
      <source>unknown</source>
      <translation>不明</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>はい</translation>
    </message>
    <message>
      <source>no</source>
      <translation>いいえ</translation>
    </message>
    <message>
      <source>never synced</source>
      <translation>未同期</translation>
    </message>
    <message>
      <source>syncing</source>
      <translation>同期中</translation>
    </message>
    <message>
      <source>ok</source>
      <translation>成功</translation>
    </message>
    <message>
      <source>FAILED</source>
      <translation>失敗</translation>
    </message>
    <message>
      <source>cancelled</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <source>partly failed</source>
      <translation>一部失敗</translation>
    </message>
    <message>
      <source>running</source>
      <translation>実行中</translation>
    </message>
    <message>
      <source>interrupted (resumable)</source>
      <translation>中断（再開可能）</translation>
    </message>
    <message>
      <source>history before {date} cannot be fetched through the API — import the exchange's export file</source>
      <translation>{date} より前の履歴はAPIでは取得できません — 取引所のエクスポートファイルをインポートしてください</translation>
    </message>
    <message>
      <source>{label} {endpoint}/{stream}: {pages} pages, {new} new rows</source>
      <translation>{label} {endpoint}/{stream}: {pages} ページ、新規 {new} 行</translation>
    </message>
    <message>
      <source>, window {done}/{total}</source>
      <translation>、期間 {done}/{total}</translation>
    </message>
    <message>
      <source>, complete up to {date}</source>
      <translation>、{date} まで完了</translation>
    </message>
    <message>
      <source> — finished</source>
      <translation> — 完了</translation>
    </message>
    <message>
      <source>Stopping… finishing the requests in flight (what was fetched is kept).</source>
      <translation>停止中… 実行中のリクエストを完了しています（取得済みのデータは保持されます）。</translation>
    </message>
    <message>
      <source>Still stopping…</source>
      <translation>まだ停止中…</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>停止しました</translation>
    </message>
    <message>
      <source>Key {id} ({label}): {new} new records</source>
      <translation>キー {id}（{label}）: 新規レコード {new} 件</translation>
    </message>
    <message>
      <source>no endpoints enabled</source>
      <translation>有効なエンドポイントがありません</translation>
    </message>
    <message>
      <source>+{new} new, {dup} already stored</source>
      <translation>新規 +{new} 件、保存済み {dup} 件</translation>
    </message>
    <message>
      <source>stopped because another endpoint of this key failed with a key error</source>
      <translation>このキーの別のエンドポイントがキーのエラーで失敗したため停止しました</translation>
    </message>
    <message>
      <source>No keys to sync (paused keys are synced only when named).</source>
      <translation>同期するキーがありません（一時停止中のキーは名前を指定したときだけ同期します）。</translation>
    </message>
    <message>
      <source>Sync cancelled: what was fetched so far is kept; run sync again to continue.</source>
      <translation>同期をキャンセルしました: 取得済みのデータは保持されます。続けるにはもう一度 sync を実行してください。</translation>
    </message>
    <message>
      <source>paused</source>
      <translation>一時停止中</translation>
    </message>
    <message>
      <source>Key {id} ({label}) [{flags}]: {status}</source>
      <translation>キー {id}（{label}）[{flags}]: {status}</translation>
    </message>
    <message>
      <source>{status}, last success {when}, {records} records</source>
      <translation>{status}、最終成功 {when}、レコード {records} 件</translation>
    </message>
    <message>
      <source>never</source>
      <translation>なし</translation>
    </message>
    <message>
      <source>the sync stopped before it finished (the process ended); run sync to resume</source>
      <translation>同期が完了する前に止まりました（プロセスが終了しました）。sync を実行すると再開します</translation>
    </message>
    <message>
      <source>--limit must be at least 1</source>
      <translation>--limit は 1 以上にしてください</translation>
    </message>
    <message>
      <source>Key {id} ({label}) has not been synced yet.</source>
      <translation>キー {id}（{label}）はまだ同期されていません。</translation>
    </message>
    <message>
      <source>Endpoint</source>
      <translation>エンドポイント</translation>
    </message>
    <message>
      <source>Stream</source>
      <translation>ストリーム</translation>
    </message>
    <message>
      <source>Pages</source>
      <translation>ページ</translation>
    </message>
    <message>
      <source>Requests</source>
      <translation>リクエスト</translation>
    </message>
    <message>
      <source>Retries</source>
      <translation>再試行</translation>
    </message>
    <message>
      <source>New</source>
      <translation>新規</translation>
    </message>
    <message>
      <source>Duplicates</source>
      <translation>重複</translation>
    </message>
    <message>
      <source>Rate-limit waits</source>
      <translation>レート制限による待機</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>エラー</translation>
    </message>
    <message>
      <source>, took {seconds:.1f} s</source>
      <translation>、所要 {seconds:.1f} 秒</translation>
    </message>
    <message>
      <source>Run {id}: started {start}, finished {end}{took} — {outcome}</source>
      <translation>実行 {id}: 開始 {start}、終了 {end}{took} — {outcome}</translation>
    </message>
    <message>
      <source>tx hash</source>
      <translation>トランザクションハッシュ</translation>
    </message>
    <message>
      <source>amount and time</source>
      <translation>数量と日時</translation>
    </message>
    <message>
      <source>Own transfers (one withdrawal and the deposit it became): {count}</source>
      <translation>自己送金（出金とそれに対応する入金の組）: {count}</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>送金日時</translation>
    </message>
    <message>
      <source>Asset</source>
      <translation>資産</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>Fee</source>
      <translation>手数料</translation>
    </message>
    <message>
      <source>From</source>
      <translation>送金元</translation>
    </message>
    <message>
      <source>To</source>
      <translation>送金先</translation>
    </message>
    <message>
      <source>Matched by</source>
      <translation>照合方法</translation>
    </message>
    <message>
      <source>Not an own transfer after all? transfers classify ID sold|gift|lost takes it out.</source>
      <translation>自己送金ではなかった場合は、transfers classify ID sold|gift|lost で自己送金から外せます。</translation>
    </message>
    <message>
      <source>Outgoing transfers that match no deposit of yours: {count} ({open} not classified)</source>
      <translation>自分の入金と一致しない送金: {count}（未分類 {open}）</translation>
    </message>
    <message>
      <source>Key</source>
      <translation>キー</translation>
    </message>
    <message>
      <source>Tx hash</source>
      <translation>トランザクションハッシュ</translation>
    </message>
    <message>
      <source>Class</source>
      <translation>分類</translation>
    </message>
    <message>
      <source>Say what each was: transfers classify ID {classes} (or none to clear).</source>
      <translation>それぞれの内容を指定してください: transfers classify ID {classes}（解除は none）。</translation>
    </message>
    <message>
      <source>{id} is not an outgoing transfer of yours</source>
      <translation>{id} は自分の送金ではありません</translation>
    </message>
    <message>
      <source>`transfers` lists them with their IDs.</source>
      <translation>`transfers` でIDとともに一覧表示されます。</translation>
    </message>
    <message>
      <source>Transfer {id}: {label}</source>
      <translation>送金 {id}: {label}</translation>
    </message>
    <message>
      <source>run on simulated exchange accounts</source>
      <translation>シミュレートした取引所アカウントで動かす（デモ）</translation>
    </message>
    <message>
      <source>where the database and logs live</source>
      <translation>データベースとログを置くフォルダー</translation>
    </message>
  </context>
  <context>
    <name>crash</name>
    <message>
      <source>Unexpected error</source>
      <translation>予期しないエラー</translation>
    </message>
    <message>
      <source>Cryptact Desktop ran into an unexpected problem. Your data is safe. The report below (with secrets masked) was saved to the log file. If the problem keeps happening, copy the report and send it to support.</source>
      <translation>Cryptact Desktop で予期しない問題が発生しました。データは安全です。下のレポート（シークレットは伏せてあります）はログファイルに保存されました。問題が繰り返し起きる場合は、レポートをコピーしてサポートに送ってください。</translation>
    </message>
    <message>
      <source>Log file: {path}</source>
      <translation>ログファイル: {path}</translation>
    </message>
    <message>
      <source>Copy report</source>
      <translation>レポートをコピー</translation>
    </message>
    <message>
      <source>Copied</source>
      <translation>コピーしました</translation>
    </message>
  </context>
  <context>
    <name>demo</name>
    <message>
      <source>Demo wallet</source>
      <translation>デモウォレット</translation>
    </message>
    <message>
      <source>Demo account 2</source>
      <translation>デモアカウント 2</translation>
    </message>
    <message>
      <source>Demo account (read-only key)</source>
      <translation>デモアカウント（読み取り専用キー）</translation>
    </message>
    <message>
      <source>Demo account (wrong secret)</source>
      <translation>デモアカウント（シークレットが誤り）</translation>
    </message>
    <message>
      <source>Demo XRP wallet</source>
      <translation>デモ XRP ウォレット</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <source>the exchange</source>
      <translation>取引所</translation>
    </message>
    <message>
      <source>{endpoint} need a main-account key: this key belongs to a sub-account</source>
      <translation>{endpoint} にはメインアカウントのキーが必要です: このキーはサブアカウントのものです</translation>
    </message>
    <message>
      <source>Add a read-only key of your {exchange} main account for {endpoint}, or untick {endpoint} for this key (Edit key); no permission of a sub-account key can read them.</source>
      <translation>{endpoint} 用に {exchange} のメインアカウントの読み取り専用キーを追加するか、このキーで {endpoint} のチェックを外してください（キーを編集）。サブアカウントのキーでは、どの権限でもこれらを読み取れません。</translation>
    </message>
    <message>
      <source>Invalid API key</source>
      <translation>APIキーが無効です</translation>
    </message>
    <message>
      <source>Check that the key was copied whole and belongs to {exchange} mainnet (not testnet or demo trading) and to the site/region selected for this key.</source>
      <translation>キーが欠けずにコピーされていること、{exchange} の本番環境（テストネットやデモ取引ではない）のキーであること、このキーに選んだサイト／地域のものであることを確認してください。</translation>
    </message>
    <message>
      <source>The secret key does not match the API key</source>
      <translation>シークレットキーがAPIキーと一致しません</translation>
    </message>
    <message>
      <source>Paste the secret again exactly as {exchange} showed it when the key was created.</source>
      <translation>キー作成時に {exchange} が表示したとおりに、シークレットキーをもう一度貼り付けてください。</translation>
    </message>
    <message>
      <source>The API key has expired</source>
      <translation>APIキーの有効期限が切れています</translation>
    </message>
    <message>
      <source>Create a new read-only key on {exchange} and replace it here (Edit key).</source>
      <translation>{exchange} で読み取り専用の新しいキーを作成し、ここで差し替えてください（キーを編集）。</translation>
    </message>
    <message>
      <source>The API key lacks a read permission for this endpoint</source>
      <translation>APIキーにこのエンドポイントの読み取り権限がありません</translation>
    </message>
    <message>
      <source>Edit the key on {exchange} and tick the read permission for this history, or untick the endpoint here.</source>
      <translation>{exchange} でキーを編集してこの履歴の読み取り権限にチェックを入れるか、ここでこのエンドポイントのチェックを外してください。</translation>
    </message>
    <message>
      <source>This computer's IP address is not on the key's IP whitelist</source>
      <translation>このコンピューターのIPアドレスがキーのIPホワイトリストにありません</translation>
    </message>
    <message>
      <source>Add this computer's public IP address to the key on {exchange}, or create a key without an IP restriction.</source>
      <translation>{exchange} でこのコンピューターのグローバルIPアドレスをキーに追加するか、IP制限のないキーを作成してください。</translation>
    </message>
    <message>
      <source>{exchange} refuses access from this country or region</source>
      <translation>{exchange} はこの国・地域からのアクセスを拒否しています</translation>
    </message>
    <message>
      <source>Use the API site that matches your {exchange} account (Edit key → API site).</source>
      <translation>お使いの {exchange} アカウントに合ったAPIサイトを選んでください（キーを編集 → APIサイト）。</translation>
    </message>
    <message>
      <source>This computer's clock is too far off</source>
      <translation>このコンピューターの時計が大きくずれています</translation>
    </message>
    <message>
      <source>Turn on automatic date and time in your system settings, then sync again.</source>
      <translation>システム設定で日付と時刻の自動設定をオンにしてから、もう一度同期してください。</translation>
    </message>
    <message>
      <source>{exchange} rate limit reached</source>
      <translation>{exchange} のレート制限に達しました</translation>
    </message>
    <message>
      <source>Wait a minute and press Sync again; what was fetched so far is kept.</source>
      <translation>1分ほど待ってからもう一度「同期」を押してください。取得済みのデータは保持されます。</translation>
    </message>
    <message>
      <source>{exchange} temporarily blocked requests from this IP address</source>
      <translation>{exchange} がこのIPアドレスからのリクエストを一時的にブロックしています</translation>
    </message>
    <message>
      <source>Wait at least 10 minutes before syncing again; what was fetched so far is kept.</source>
      <translation>10分以上待ってからもう一度同期してください。取得済みのデータは保持されます。</translation>
    </message>
    <message>
      <source>Cannot reach {exchange}</source>
      <translation>{exchange} に接続できません</translation>
    </message>
    <message>
      <source>Check your internet connection (and proxy or VPN), then sync again; the sync resumes where it stopped.</source>
      <translation>インターネット接続（プロキシやVPNも）を確認してから、もう一度同期してください。同期は中断したところから再開します。</translation>
    </message>
    <message>
      <source>{exchange} is not answering properly right now</source>
      <translation>{exchange} が現在正常に応答していません</translation>
    </message>
    <message>
      <source>Try again later; the sync resumes where it stopped.</source>
      <translation>しばらくしてからもう一度お試しください。同期は中断したところから再開します。</translation>
    </message>
    <message>
      <source>{exchange} sent data this app does not understand</source>
      <translation>{exchange} からこのアプリが解釈できないデータが返されました</translation>
    </message>
    <message>
      <source>Sync again later; if it keeps happening, send the sync log to support.</source>
      <translation>しばらくしてからもう一度同期してください。繰り返し発生する場合は、同期ログをサポートに送ってください。</translation>
    </message>
    <message>
      <source>{exchange} rejected the request</source>
      <translation>{exchange} がリクエストを拒否しました</translation>
    </message>
    <message>
      <source>This is a problem in the app, not with your key: send the sync log to support.</source>
      <translation>これはキーではなくアプリの問題です。同期ログをサポートに送ってください。</translation>
    </message>
    <message>
      <source>{exchange}'s API no longer gives part of this history</source>
      <translation>{exchange} のAPIでは、この履歴の一部をもう取得できません</translation>
    </message>
    <message>
      <source>Import {exchange}'s export file that covers it; everything else was fetched.</source>
      <translation>その期間を含む {exchange} のエクスポートファイルをインポートしてください。それ以外はすべて取得しました。</translation>
    </message>
    <message>
      <source>{exchange} does not answer at the key's API address</source>
      <translation>キーのAPIアドレスで {exchange} が応答しません</translation>
    </message>
    <message>
      <source>Check the address (Edit key → API site), or choose one of {exchange}'s own API sites; nothing is wrong with the key itself.</source>
      <translation>アドレスを確認するか（キーを編集 → APIサイト）、{exchange} 公式のAPIサイトのいずれかを選んでください。キー自体に問題はありません。</translation>
    </message>
    <message>
      <source>The app's database cannot be used</source>
      <translation>アプリのデータベースを使用できません</translation>
    </message>
    <message>
      <source>Check the disk and the data folder, then try again; what was stored so far is kept.</source>
      <translation>ディスクとデータフォルダーを確認してから、もう一度お試しください。これまでに保存したデータは保持されます。</translation>
    </message>
    <message>
      <source>The key's secret cannot be read from the system keyring</source>
      <translation>キーのシークレットをシステムのキーリングから読み取れません</translation>
    </message>
    <message>
      <source>Unlock your system keyring (or re-enter the secret with Edit key), then sync again.</source>
      <translation>システムのキーリングのロックを解除する（または「キーを編集」でシークレットを入力し直す）と、もう一度同期できます。</translation>
    </message>
    <message>
      <source>Another Cryptact Desktop window or command is already syncing this key</source>
      <translation>別の Cryptact Desktop のウィンドウまたはコマンドがこのキーを同期中です</translation>
    </message>
    <message>
      <source>Wait for it to finish, then look again; nothing is fetched twice.</source>
      <translation>終わるまで待ってから、もう一度確認してください。同じデータが二重に取得されることはありません。</translation>
    </message>
    <message>
      <source>Sync cancelled</source>
      <translation>同期をキャンセルしました</translation>
    </message>
    <message>
      <source>Press Sync to continue; nothing fetched so far is lost.</source>
      <translation>「同期」を押すと続きから再開します。取得済みのデータは失われません。</translation>
    </message>
    <message>
      <source>{exchange} does not accept this wallet address</source>
      <translation>{exchange} はこのウォレットアドレスを受け付けません</translation>
    </message>
    <message>
      <source>Check that the address or extended public key was copied whole from your wallet app (Edit wallet), then sync again.</source>
      <translation>アドレスまたは拡張公開鍵がウォレットアプリから欠けずにコピーされているか確認してから（ウォレットを編集）、もう一度同期してください。</translation>
    </message>
    <message>
      <source>The server address does not answer as a {exchange} API</source>
      <translation>サーバーアドレスが {exchange} のAPIとして応答しません</translation>
    </message>
    <message>
      <source>Check the server address (Edit wallet → server), or choose the default public server, then sync again.</source>
      <translation>サーバーアドレスを確認するか（ウォレットを編集 → サーバー）、既定の公開サーバーを選んでから、もう一度同期してください。</translation>
    </message>
    <message>
      <source>Binance refuses the key (-2015): it was deleted or is not a Binance.com key, this computer's IP address is not among the key's trusted IPs, or the key cannot read. Check the key under API Management on Binance, then edit it here.</source>
      <translation>Binance がキーを拒否しました（-2015）。キーが削除されたか Binance.com のキーではない、このコンピューターのIPアドレスがキーの信頼済みIPに含まれていない、またはキーに読み取り権限がありません。Binance の「API管理」でキーを確認してから、ここで編集してください。</translation>
    </message>
    <message>
      <source>The API key is not in Binance's format: copy it again from API Management on Binance.</source>
      <translation>APIキーが Binance の形式ではありません。Binance の「API管理」からもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>Paste the secret key again exactly as Binance showed it. Binance shows a secret only once: if it is lost, create a new read-only key.</source>
      <translation>Binance に表示されたとおりにシークレットキーをもう一度貼り付けてください。Binance はシークレットを一度しか表示しません。失くした場合は読み取り専用の新しいキーを作成してください。</translation>
    </message>
    <message>
      <source>the futures API refuses this key</source>
      <translation>先物APIがこのキーを拒否しています</translation>
    </message>
    <message>
      <source>Binance does not let a key read futures if it was created before the futures account was opened: create a new read-only key on Binance, or untick this history here.</source>
      <translation>先物アカウントの開設前に作成したキーでは、Binance は先物の履歴を読み取らせません。Binance で読み取り専用の新しいキーを作成するか、ここでこの履歴のチェックを外してください。</translation>
    </message>
    <message>
      <source>Binance lists no pair of this coin any more, so its API cannot give trades of it: if you traded it, import Binance's spot trade history export (Orders → Trade History → Export).</source>
      <translation>Binance はこの通貨のペアをもう上場していないため、APIではその取引を取得できません。取引したことがある場合は、Binance の現物取引履歴のエクスポート（注文 → 取引履歴 → エクスポート）をインポートしてください。</translation>
    </message>
    <message>
      <source>Binance no longer lists this pair, so its API cannot give its trades: import Binance's spot trade history export (Orders → Trade History → Export) for it.</source>
      <translation>Binance はこの通貨ペアをもう上場していないため、APIではその取引を取得できません。このペアについては Binance の現物取引履歴のエクスポート（注文 → 取引履歴 → エクスポート）をインポートしてください。</translation>
    </message>
    <message>
      <source>Binance banned this IP address for a while after too many refused requests (bans last 2 minutes to 3 days; another program on this network may have caused it). Wait, then sync again: this app paces its requests to stay under Binance's limits.</source>
      <translation>拒否されたリクエストが多すぎたため、Binance はこのIPアドレスを一時的に禁止しました（禁止は2分から3日間続きます。同じネットワーク上の別のプログラムが原因の可能性もあります）。しばらく待ってから再度同期してください。このアプリは Binance の制限を超えないようにリクエストの間隔を調整しています。</translation>
    </message>
    <message>
      <source>Binance.com does not serve this country or region. Binance.US is a separate exchange: add the key under it. A Binance Japan key uses this API: choose the “Binance Japan” site.</source>
      <translation>Binance.com はこの国・地域ではサービスを提供していません。Binance.US は別の取引所です。そちらでキーを追加してください。Binance Japan のキーはこのAPIを使います。「Binance Japan」のサイトを選んでください。</translation>
    </message>
    <message>
      <source>the key needs the “{permission}” permission</source>
      <translation>キーに「{permission}」権限が必要です</translation>
    </message>
    <message>
      <source>the key needs the “{group}” read permission</source>
      <translation>キーに「{group}」の読み取り権限が必要です</translation>
    </message>
    <message>
      <source>Create a new read-only key on Bybit (keys without an IP whitelist expire after 90 days) and replace it here (Edit key).</source>
      <translation>Bybit で読み取り専用の新しいキーを作成し（IPホワイトリストのないキーは90日で失効します）、ここで差し替えてください（キーを編集）。</translation>
    </message>
    <message>
      <source>Use the API site that matches your Bybit account (for example bybit.eu or bybit.nl): Edit key → API site.</source>
      <translation>お使いの Bybit アカウントに合ったAPIサイト（例: bybit.eu、bybit.nl）を選んでください: キーを編集 → APIサイト。</translation>
    </message>
    <message>
      <source>Paste your Etherscan API key again (Edit wallet; etherscan.io → API dashboard), or choose Blockscout as the server, which needs no key.</source>
      <translation>Etherscan の APIキーをもう一度貼り付けてください（ウォレットを編集。etherscan.io → API ダッシュボード）。または、キーが不要な Blockscout をサーバーに選んでください。</translation>
    </message>
    <message>
      <source>Today's allowance of your Etherscan key is used up: sync again tomorrow, or choose Blockscout as the server (Edit wallet).</source>
      <translation>Etherscan のキーの本日の利用上限に達しました。明日もう一度同期するか、Blockscout をサーバーに選んでください（ウォレットを編集）。</translation>
    </message>
    <message>
      <source>Etherscan's free plan does not serve {exchange}: choose Blockscout as the server (Edit wallet), or use a key of a paid plan.</source>
      <translation>Etherscan の無料プランは {exchange} に対応していません。Blockscout をサーバーに選ぶ（ウォレットを編集）か、有料プランのキーを使ってください。</translation>
    </message>
    <message>
      <source>This server keeps the ledgers only from {ledger} on, and the wallet's older transactions are not on it: choose a full-history server (XRPL Cluster or s2.ripple.com).</source>
      <translation>このサーバーはレジャー {ledger} 以降しか保持しておらず、ウォレットのそれより古いトランザクションがありません。全履歴を持つサーバー（XRPL Cluster または s2.ripple.com）を選んでください。</translation>
    </message>
  </context>
  <context>
    <name>export_cryptact</name>
    <message>
      <source>The export stopped: one of the processes writing it ended unexpectedly (the computer may have run out of memory, or the process was ended). Nothing was written. Export again; close other programs first if it happens again.</source>
      <translation>エクスポートが中断されました。書き出しを行うプロセスの一つが予期せず終了しました（メモリ不足、またはプロセスが終了された可能性があります）。ファイルは書き込まれていません。もう一度エクスポートしてください。再び起きる場合は、先に他のプログラムを閉じてください。</translation>
    </message>
    <message>
      <source>The export stopped: part of it failed ({error}). Nothing was written. The log file has the details; please report it.</source>
      <translation>エクスポートが中断されました。一部の処理に失敗しました（{error}）。ファイルは書き込まれていません。詳細はログファイルにあります。ご報告ください。</translation>
    </message>
    <message>
      <source>record without a currency</source>
      <translation>通貨のないレコード</translation>
    </message>
    <message>
      <source>amount in your fiat currency: enter it by hand as CASH if it counts</source>
      <translation>法定通貨での金額: 必要であれば CASH として手入力してください</translation>
    </message>
    <message>
      <source>no balance change</source>
      <translation>残高の変動なし</translation>
    </message>
    <message>
      <source>funding received → BONUS</source>
      <translation>資金調達料の受取 → BONUS</translation>
    </message>
    <message>
      <source>funding paid → LOSS</source>
      <translation>資金調達料の支払 → LOSS</translation>
    </message>
    <message>
      <source>trade without a buy or sell side</source>
      <translation>売買の区別がない取引</translation>
    </message>
    <message>
      <source>trade whose quote currency is unknown</source>
      <translation>決済通貨が不明な取引</translation>
    </message>
    <message>
      <source>trade without two different currencies</source>
      <translation>2つの異なる通貨を含まない取引</translation>
    </message>
    <message>
      <source>trade without a positive amount and price</source>
      <translation>数量または価格が正の値でない取引</translation>
    </message>
    <message>
      <source>spot buy → BUY</source>
      <translation>現物の買い → BUY</translation>
    </message>
    <message>
      <source>spot sell → SELL</source>
      <translation>現物の売り → SELL</translation>
    </message>
    <message>
      <source>trading fee rebate → BONUS</source>
      <translation>取引手数料のリベート → BONUS</translation>
    </message>
    <message>
      <source>convert without two different coins</source>
      <translation>2つの異なるコインを含まない交換</translation>
    </message>
    <message>
      <source>convert without positive amounts</source>
      <translation>数量が正の値でない交換</translation>
    </message>
    <message>
      <source>convert into fiat → SELL</source>
      <translation>法定通貨への交換 → SELL</translation>
    </message>
    <message>
      <source>convert → BUY</source>
      <translation>交換 → BUY</translation>
    </message>
    <message>
      <source>ledger net gain → BONUS</source>
      <translation>台帳の純利益 → BONUS</translation>
    </message>
    <message>
      <source>ledger net loss → LOSS</source>
      <translation>台帳の純損失 → LOSS</translation>
    </message>
    <message>
      <source>derivative profit → BONUS</source>
      <translation>デリバティブの利益 → BONUS</translation>
    </message>
    <message>
      <source>derivative loss → LOSS</source>
      <translation>デリバティブの損失 → LOSS</translation>
    </message>
    <message>
      <source>derivative trading fee → LOSS</source>
      <translation>デリバティブの取引手数料 → LOSS</translation>
    </message>
    <message>
      <source>interest received → LENDING</source>
      <translation>受取利息 → LENDING</translation>
    </message>
    <message>
      <source>borrowing interest paid → LOSS</source>
      <translation>支払った借入利息 → LOSS</translation>
    </message>
    <message>
      <source>staking reward → STAKING</source>
      <translation>ステーキング報酬 → STAKING</translation>
    </message>
    <message>
      <source>staking penalty → LOSS</source>
      <translation>ステーキングのペナルティ → LOSS</translation>
    </message>
    <message>
      <source>airdrop or bonus → BONUS</source>
      <translation>エアドロップまたはボーナス → BONUS</translation>
    </message>
    <message>
      <source>bonus taken back → LOSS</source>
      <translation>ボーナスの回収 → LOSS</translation>
    </message>
    <message>
      <source>fee paid → LOSS</source>
      <translation>支払手数料 → LOSS</translation>
    </message>
    <message>
      <source>fee refund → BONUS</source>
      <translation>手数料の返金 → BONUS</translation>
    </message>
    <message>
      <source>withdrawal without a fee: a transfer, not a taxable event</source>
      <translation>手数料のない出金: 移動であり課税対象ではありません</translation>
    </message>
    <message>
      <source>withdrawal fee → SENDFEE</source>
      <translation>出金手数料 → SENDFEE</translation>
    </message>
    <message>
      <source>sold or paid with → PAY</source>
      <translation>売却または支払いに使用 → PAY</translation>
    </message>
    <message>
      <source>given away → REDUCE</source>
      <translation>贈与 → REDUCE</translation>
    </message>
    <message>
      <source>lost or stolen → LOSS</source>
      <translation>紛失または盗難 → LOSS</translation>
    </message>
    <message>
      <source>own transfer received from another of your keys or wallets: not a taxable event</source>
      <translation>自分の別のキーまたはウォレットから受け取った自己送金: 課税対象ではありません</translation>
    </message>
    <message>
      <source>own transfer without a fee: not a taxable event</source>
      <translation>手数料のない自己送金: 課税対象ではありません</translation>
    </message>
    <message>
      <source>transfer of nothing: only its fee</source>
      <translation>数量ゼロの送金: 手数料のみ</translation>
    </message>
    <message>
      <source>derivative trade outside the synced {endpoint}: its realised P&amp;L is only there</source>
      <translation>同期済みの {endpoint} に含まれないデリバティブ取引: 実現損益はそちらにしかありません</translation>
    </message>
    <message>
      <source>{count} derivative executions have no realised P&amp;L in this file: enable and sync the {endpoint} endpoint for those keys.</source>
      <translation>{count} 件のデリバティブ約定の実現損益がこのファイルにありません。該当するキーで {endpoint} エンドポイントを有効にして同期してください。</translation>
    </message>
    <message>
      <source>derivative trade without its realised P&amp;L: the venue does not report it</source>
      <translation>実現損益のないデリバティブ取引: 取引所が提供していません</translation>
    </message>
    <message>
      <source>a copy of an entry of {endpoint}: exported from there</source>
      <translation>{endpoint} の記録の写し: そちらからエクスポートされます</translation>
    </message>
    <message>
      <source>listed only as a copy of {endpoint}: enable the {endpoint} endpoint to export it</source>
      <translation>{endpoint} の写しとしてのみ存在: エクスポートするには {endpoint} エンドポイントを有効にしてください</translation>
    </message>
    <message>
      <source>{count} entries appear only as copies of {endpoint} and are not in this file: enable and sync the {endpoint} endpoint.</source>
      <translation>{count} 件の記録は {endpoint} の写しとしてのみ存在し、このファイルには含まれません。{endpoint} エンドポイントを有効にして同期してください。</translation>
    </message>
    <message>
      <source>derivative execution: its P&amp;L, fee and funding are exported from {endpoint}</source>
      <translation>デリバティブの約定: 損益・手数料・資金調達料は {endpoint} からエクスポートされます</translation>
    </message>
    <message>
      <source>ledger entry ({note}): no export rule</source>
      <translation>台帳の記録（{note}）: エクスポート規則がありません</translation>
    </message>
    <message>
      <source>record of kind {kind}: no export rule</source>
      <translation>種類 {kind} のレコード: エクスポート規則がありません</translation>
    </message>
    <message>
      <source>deposit: a transfer, not a taxable event</source>
      <translation>入金: 移動であり課税対象ではありません</translation>
    </message>
    <message>
      <source>transfer between your own accounts: not a taxable event</source>
      <translation>自分のアカウント間の振替: 課税対象ではありません</translation>
    </message>
    <message>
      <source>earn subscription or redemption: your own coins move, no P&amp;L</source>
      <translation>Earn の申込・解約: 自分のコインの移動で損益はありません</translation>
    </message>
    <message>
      <source>expected {expected} columns, found {found}</source>
      <translation>{expected} 列のはずが {found} 列あります</translation>
    </message>
    <message>
      <source>timestamp must be YYYY/MM/DD HH:mm:ss</source>
      <translation>Timestamp は YYYY/MM/DD HH:mm:ss の形式にしてください</translation>
    </message>
    <message>
      <source>TIP is a legacy action: write PAY or REDUCE instead</source>
      <translation>TIP は旧式の取引種別です: 代わりに PAY または REDUCE を使ってください</translation>
    </message>
    <message>
      <source>unsupported trade type (Action)</source>
      <translation>対応していない取引種別（Action）です</translation>
    </message>
    <message>
      <source>Source is required</source>
      <translation>Source は必須です</translation>
    </message>
    <message>
      <source>{column} is required</source>
      <translation>{column} は必須です</translation>
    </message>
    <message>
      <source>a currency symbol has no spaces</source>
      <translation>通貨シンボルにスペースは使えません</translation>
    </message>
    <message>
      <source>not Cryptact's symbol: use {symbol}</source>
      <translation>クリプタクトのシンボルではありません: {symbol} を使ってください</translation>
    </message>
    <message>
      <source>custom coins (USER-) are allowed only in Base</source>
      <translation>カスタムコイン（USER-）は Base にのみ使えます</translation>
    </message>
    <message>
      <source>a custom coin is USER- and up to 120 of A-Z, 0-9 and #</source>
      <translation>カスタムコインは USER- に続けて A-Z、0-9、# を120文字以内で書きます</translation>
    </message>
    <message>
      <source>Base and Counter must be different</source>
      <translation>Base と Counter は異なる通貨にしてください</translation>
    </message>
    <message>
      <source>Volume must be a positive number</source>
      <translation>Volume は正の数にしてください</translation>
    </message>
    <message>
      <source>a LOSS row carries Price 0</source>
      <translation>LOSS の行の Price は 0 にしてください</translation>
    </message>
    <message>
      <source>Price must be empty or a number</source>
      <translation>Price は空欄または数値にしてください</translation>
    </message>
    <message>
      <source>Price may be empty only when Counter is a fiat currency</source>
      <translation>Price を空欄にできるのは Counter が法定通貨のときだけです</translation>
    </message>
    <message>
      <source>Fee is required: write 0 when there is none</source>
      <translation>Fee は必須です。手数料がない場合は 0 と書いてください</translation>
    </message>
    <message>
      <source>Fee must be a number (0 when there is none)</source>
      <translation>Fee は数値にしてください（ない場合は 0）</translation>
    </message>
    <message>
      <source>Comment must not contain ' " or \</source>
      <translation>Comment に ' " \ は使えません</translation>
    </message>
    <message>
      <source>a cell must not start with = + - or @ (a spreadsheet formula)</source>
      <translation>セルを = + - @ で始めることはできません（表計算ソフトの数式になります）</translation>
    </message>
    <message>
      <source>no commas, double quotes or line breaks in a cell</source>
      <translation>セルにカンマ、ダブルクォート、改行は使えません</translation>
    </message>
    <message>
      <source>the first line must be exactly {header}</source>
      <translation>1行目は正確に {header} にしてください</translation>
    </message>
    <message>
      <source>the file is empty</source>
      <translation>ファイルが空です</translation>
    </message>
    <message>
      <source>Rows written: {rows} (from {records} stored records)</source>
      <translation>書き出した行数: {rows}（保存済みレコード {records} 件から）</translation>
    </message>
    <message>
      <source>Not exported:</source>
      <translation>エクスポートされなかったもの:</translation>
    </message>
    <message>
      <source>WARNING: {text}</source>
      <translation>警告: {text}</translation>
    </message>
    <message>
      <source>{count} records dated on or before the last exported row ({when}) were synced or classified after the last export. Cryptact only takes rows newer than the newest row already uploaded, so they are not in this file and a delta file cannot add them: delete the custom upload in Cryptact and upload a full export to include them.</source>
      <translation>前回エクスポートした最後の行（{when}）以前の日付のレコード {count} 件が、前回のエクスポート後に同期または分類されました。クリプタクトはアップロード済みの最新行より新しい行しか取り込まないため、これらはこのファイルに含まれず、差分ファイルでは追加できません。含めるには、クリプタクトでカスタムファイルのアップロードを削除し、全件のエクスポートをアップロードしてください。</translation>
    </message>
    <message>
      <source>This is a full file. Delete the earlier custom upload in Cryptact before uploading it: otherwise Cryptact takes only its rows after {when}.</source>
      <translation>これは全件のファイルです。アップロードする前に、クリプタクトで以前のカスタムファイルのアップロードを削除してください。削除しないと、クリプタクトは {when} より後の行しか取り込みません。</translation>
    </message>
    <message>
      <source>{count} outgoing transfers match no deposit of your keys or wallets and are not classified: they are in this file as transfers to yourself (only their fee). Classify each under Transfers (sent to your other wallet, sold or paid, gift, lost) and export again.</source>
      <translation>{count} 件の送金が自分のキーやウォレットのどの入金とも一致せず、未分類のままです。このファイルでは自分宛ての送金（手数料のみ）として含まれています。「送金」画面でそれぞれを分類してから（自分の別のウォレットへの送金、売却・支払い、贈与、紛失）、もう一度エクスポートしてください。</translation>
    </message>
    <message>
      <source>Nothing to export: no file was written.</source>
      <translation>エクスポートするものがありません。ファイルは作成されませんでした。</translation>
    </message>
  </context>
  <context>
    <name>imports</name>
    <message>
      <source>This is a {name}. {advice}</source>
      <translation>これは{name}です。{advice}</translation>
    </message>
    <message>
      <source>This is a {name}; files from {exchange} cannot be imported yet.</source>
      <translation>これは{name}です。{exchange} のファイルはまだインポートできません。</translation>
    </message>
    <message>
      <source>This file is not an export we know. Its first row reads: {found}</source>
      <translation>このファイルは対応しているエクスポート形式ではありません。1行目: {found}</translation>
    </message>
    <message>
      <source>The column “{name}” appears {count} times in the header (columns {columns}), so which one holds the value is unknown: the file was probably edited. Download it again from the exchange.</source>
      <translation>見出し行に列「{name}」が {count} 回あり（{columns} 列目）、どれが値を持つか分かりません。ファイルが編集された可能性があります。取引所からもう一度ダウンロードしてください。</translation>
    </message>
    <message>
      <source>The file contains no rows (only blank lines).</source>
      <translation>ファイルに行がありません（空行のみ）。</translation>
    </message>
    <message>
      <source>This file holds several exchange accounts (UIDs {uids}). Export each account separately and import each file into its own account.</source>
      <translation>このファイルには複数の取引所アカウント（UID {uids}）が含まれています。アカウントごとに別々にエクスポートし、それぞれのアカウントにインポートしてください。</translation>
    </message>
    <message>
      <source>The file is cut off: its last row (row {row}) has {cells} of {width} columns. Download it again.</source>
      <translation>ファイルが途中で切れています。最後の行（{row} 行目）は {width} 列中 {cells} 列しかありません。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
      <source>The file names two different exchange accounts.</source>
      <translation>ファイルに2つの異なる取引所アカウントが記載されています。</translation>
    </message>
    <message>
      <source>{exchange} (files)</source>
      <translation>{exchange}（ファイル）</translation>
    </message>
    <message>
      <source>The account no longer exists.</source>
      <translation>このアカウントはもう存在しません。</translation>
    </message>
    <message>
      <source>This account is on {account}, not {exchange}.</source>
      <translation>このアカウントは {exchange} ではなく {account} のものです。</translation>
    </message>
    <message>
      <source>This file belongs to exchange account (UID) {file_uid}, but this account is UID {account_uid}. Import it into the right account.</source>
      <translation>このファイルは取引所アカウント（UID）{file_uid} のものですが、このアカウントは UID {account_uid} です。正しいアカウントにインポートしてください。</translation>
    </message>
    <message>
      <source>The file changed after its preview (it may have been downloaded again or still be downloading). Nothing was imported: preview it again.</source>
      <translation>プレビューの後にファイルが変更されました（ダウンロードし直したか、まだダウンロード中の可能性があります）。何もインポートしていません。もう一度プレビューしてください。</translation>
    </message>
    <message>
      <source>This is a {found} file, but a {expected} file was expected ({types}).</source>
      <translation>これは{found}のファイルですが、{expected}のファイルが必要です（{types}）。</translation>
    </message>
    <message>
      <source>This file (or one with the same rows) was imported before: nothing was added.</source>
      <translation>このファイル（または同じ行を含むファイル）は以前にインポート済みです。何も追加されませんでした。</translation>
    </message>
    <message>
      <source>This file was already imported into the account “{label}”.</source>
      <translation>このファイルはアカウント「{label}」にインポート済みです。</translation>
    </message>
    <message>
      <source>Nothing was imported: {rows} rows have problems (listed by problem).</source>
      <translation>何もインポートされませんでした: {rows} 行に問題があります（問題ごとに一覧表示）。</translation>
    </message>
    <message>
      <source>Imported {new} new records from {file} ({already} already present, {linked} matched to API records, {held} held for review, {skipped} rows skipped).</source>
      <translation>{file} から新しいレコードを {new} 件インポートしました（既存 {already} 件、APIのレコードと照合 {linked} 件、確認待ち {held} 件、スキップ {skipped} 行）。</translation>
    </message>
    <message>
      <source>The dates in this file (for example 05/03/2024) can be read day-first or month-first. Choose which one the file uses, or download it again without opening it in a spreadsheet program.</source>
      <translation>このファイルの日付（例: 05/03/2024）は日が先とも月が先とも読めます。どちらの形式かを選ぶか、表計算ソフトで開かずにもう一度ダウンロードしてください。</translation>
    </message>
    <message>
      <source>The dates in this file are written both day-first and month-first; it cannot be read safely.</source>
      <translation>このファイルの日付は日が先の形式と月が先の形式が混在しており、安全に読み取れません。</translation>
    </message>
    <message>
      <source>The row has fewer columns than the header</source>
      <translation>この行はヘッダーより列が少なくなっています</translation>
    </message>
    <message>
      <source>The row has more columns than the header</source>
      <translation>この行はヘッダーより列が多くなっています</translation>
    </message>
    <message>
      <source>The same record appears twice in the file: stored once</source>
      <translation>同じレコードがファイルに2回あります: 1回だけ保存します</translation>
    </message>
    <message>
      <source>The same exchange id is on another row with different values</source>
      <translation>同じ取引所IDが別の行に異なる値で記載されています</translation>
    </message>
    <message>
      <source>row {row}</source>
      <translation>{row} 行目</translation>
    </message>
    <message>
      <source>Dated in the future: check the dates in the file and the time zone chosen for it (the rows are imported as written)</source>
      <translation>未来の日付です: ファイルの日付と、ファイルに選んだタイムゾーンを確認してください（行は記載どおりにインポートされます）</translation>
    </message>
    <message>
      <source>The period in the file name does not contain all its rows: the rows' own period is used</source>
      <translation>ファイル名の期間にすべての行が含まれていません: 行自体の期間を使います</translation>
    </message>
    <message>
      <source>This is an Excel workbook, not a CSV file. Import the CSV file you downloaded from the exchange (or save the sheet as CSV UTF-8).</source>
      <translation>これはCSVファイルではなくExcelブックです。取引所からダウンロードしたCSVファイルをインポートしてください（またはシートを「CSV UTF-8」で保存してください）。</translation>
    </message>
    <message>
      <source>This is a PDF document, not a CSV file. Download the history as CSV instead.</source>
      <translation>これはCSVファイルではなくPDF文書です。履歴をCSVでダウンロードしてください。</translation>
    </message>
    <message>
      <source>This is not a text (CSV) file. Choose the CSV file downloaded from the exchange.</source>
      <translation>これはテキスト（CSV）ファイルではありません。取引所からダウンロードしたCSVファイルを選んでください。</translation>
    </message>
    <message>
      <source>The file ends in the middle of a character: it is cut off.</source>
      <translation>ファイルが文字の途中で終わっています。途中で切れています。</translation>
    </message>
    <message>
      <source>The file's text encoding is not readable. Save it as CSV UTF-8 and try again.</source>
      <translation>ファイルの文字コードを読み取れません。「CSV UTF-8」で保存してからもう一度お試しください。</translation>
    </message>
    <message>
      <source>The file cannot be opened (it may have been moved).</source>
      <translation>ファイルを開けません（移動された可能性があります）。</translation>
    </message>
    <message>
      <source>This is a folder, not a file.</source>
      <translation>これはファイルではなくフォルダーです。</translation>
    </message>
    <message>
      <source>This is not a regular file (it is a pipe, a device or a socket). Choose the CSV file downloaded from the exchange.</source>
      <translation>これは通常のファイルではありません（パイプ、デバイス、ソケットのいずれかです）。取引所からダウンロードしたCSVファイルを選んでください。</translation>
    </message>
    <message>
      <source>The file is empty (0 bytes). Download it again from the exchange.</source>
      <translation>ファイルが空です（0バイト）。取引所からもう一度ダウンロードしてください。</translation>
    </message>
    <message>
      <source>The file is larger than {limit} MB. Export a shorter period and import the parts.</source>
      <translation>ファイルが {limit} MB を超えています。期間を短くしてエクスポートし、分けてインポートしてください。</translation>
    </message>
    <message>
      <source>The file cannot be read (permission denied?).</source>
      <translation>ファイルを読み取れません（アクセス権がない可能性があります）。</translation>
    </message>
    <message>
      <source>The file changed while it was being read (or since its preview): it may still be downloading. Wait until it is complete, then preview it again.</source>
      <translation>読み込み中（またはプレビュー後）にファイルが変更されました。まだダウンロード中の可能性があります。完了するまで待ってから、もう一度プレビューしてください。</translation>
    </message>
    <message>
      <source>Row {row} has a cell larger than 128 KiB, which no exchange history has: this is not an exchange's CSV download (or it was damaged). Download it again.</source>
      <translation>{row} 行目に 128 KiB を超えるセルがあります。取引所の履歴にそのようなセルはないため、これは取引所からダウンロードしたCSVではありません（または壊れています）。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
      <source>The file ends in the middle of a quoted value (row {row}): it is cut off or damaged. Download it again.</source>
      <translation>ファイルが引用符で囲まれた値の途中（{row} 行目）で終わっています。途中で切れているか破損しています。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状態</translation>
    </message>
    <message>
      <source>Status code</source>
      <translation>状態コード</translation>
    </message>
    <message>
      <source>Endpoint</source>
      <translation>エンドポイント</translation>
    </message>
    <message>
      <source>Time (UTC)</source>
      <translation>日時（UTC）</translation>
    </message>
    <message>
      <source>Exchange ID</source>
      <translation>取引所ID</translation>
    </message>
    <message>
      <source>File</source>
      <translation>ファイル</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行</translation>
    </message>
    <message>
      <source>Differences</source>
      <translation>差異</translation>
    </message>
    <message>
      <source>API covered this time</source>
      <translation>APIがこの時点を取得済み</translation>
    </message>
    <message>
      <source>Candidate API records</source>
      <translation>候補となるAPIのレコード</translation>
    </message>
    <message>
      <source>Reconciliation report</source>
      <translation>照合レポート</translation>
    </message>
    <message>
      <source>Period</source>
      <translation>期間</translation>
    </message>
    <message>
      <source>everything</source>
      <translation>すべて</translation>
    </message>
    <message>
      <source>Generated</source>
      <translation>作成日時</translation>
    </message>
    <message>
      <source>Counts</source>
      <translation>件数</translation>
    </message>
    <message>
      <source>{column} is empty</source>
      <translation>{column} が空欄です</translation>
    </message>
    <message>
      <source>{column} is not a number</source>
      <translation>{column} が数値ではありません</translation>
    </message>
    <message>
      <source>{column} must be greater than zero</source>
      <translation>{column} はゼロより大きくしてください</translation>
    </message>
    <message>
      <source>{column} was turned into a number by a spreadsheet program; download the file again and import it without opening it in Excel</source>
      <translation>{column} が表計算ソフトによって数値に変換されています。ファイルをもう一度ダウンロードし、Excelで開かずにインポートしてください</translation>
    </message>
    <message>
      <source>{column} is not a date and time we can read</source>
      <translation>{column} が読み取れる日時ではありません</translation>
    </message>
    <message>
      <source>The row is not a valid record</source>
      <translation>この行は有効なレコードではありません</translation>
    </message>
    <message>
      <source>{column} is not an amount with its coin</source>
      <translation>{column} が通貨付きの数量ではありません</translation>
    </message>
    <message>
      <source>The pair does not match the coins of Executed and Amount</source>
      <translation>通貨ペアが Executed と Amount の通貨と一致しません</translation>
    </message>
    <message>
      <source>Side is neither BUY nor SELL</source>
      <translation>Side が BUY でも SELL でもありません</translation>
    </message>
    <message>
      <source>Deposit not completed: row skipped</source>
      <translation>未完了の入金: この行はスキップしました</translation>
    </message>
    <message>
      <source>Withdrawal not completed: row skipped</source>
      <translation>未完了の出金: この行はスキップしました</translation>
    </message>
    <message>
      <source>Trade type not known to this app: row skipped ({type})</source>
      <translation>このアプリが知らない取引種別です: 行をスキップしました（{type}）</translation>
    </message>
    <message>
      <source>{column} is neither Buy nor Sell</source>
      <translation>{column} が Buy でも Sell でもありません</translation>
    </message>
    <message>
      <source>Filled Type is not one we know</source>
      <translation>Filled Type が既知の値ではありません</translation>
    </message>
    <message>
      <source>Not completed (failed or cancelled): skipped</source>
      <translation>未完了（失敗またはキャンセル）: スキップしました</translation>
    </message>
    <message>
      <source>Still pending when the file was exported: skipped (import a later export)</source>
      <translation>ファイルのエクスポート時に処理中でした: スキップしました（後日のエクスポートをインポートしてください）</translation>
    </message>
    <message>
      <source>Status not recognised: row skipped</source>
      <translation>状態を認識できません: 行をスキップしました</translation>
    </message>
    <message>
      <source>Type is neither Deposit nor Withdraw</source>
      <translation>Type が Deposit でも Withdraw でもありません</translation>
    </message>
    <message>
      <source>Bybit spot trade history (before the Unified Trading Account)</source>
      <translation>Bybit 現物取引履歴（統合取引アカウント以前）</translation>
    </message>
    <message>
      <source>Bybit exports at most 10,000 rows per file: this file may be cut short. Export shorter periods if it is.</source>
      <translation>Bybit のエクスポートは1ファイル最大10,000行です。このファイルは途中で切れている可能性があります。その場合は期間を短くしてエクスポートしてください。</translation>
    </message>
    <message>
      <source>Bybit spot trade history (Unified Trading Account)</source>
      <translation>Bybit 現物取引履歴（統合取引アカウント）</translation>
    </message>
    <message>
      <source>Bybit derivatives trade history (perpetuals, futures, inverse)</source>
      <translation>Bybit デリバティブ取引履歴（無期限・先物・インバース）</translation>
    </message>
    <message>
      <source>Bybit Unified Trading Account transaction log (Asset Change Details)</source>
      <translation>Bybit 統合取引アカウントの取引ログ（資産変動の詳細）</translation>
    </message>
    <message>
      <source>Bybit deposit and withdrawal history</source>
      <translation>Bybit 入出金履歴</translation>
    </message>
    <message>
      <source>Bybit Funding account history (Asset Change Details, Funding)</source>
      <translation>Bybit 資金調達アカウントの履歴（資産変動の詳細、Funding）</translation>
    </message>
    <message>
      <source>This file type is not supported yet. Import the deposit and withdrawal history and the Unified Trading Account transaction log instead.</source>
      <translation>この種類のファイルにはまだ対応していません。代わりに入出金履歴と統合取引アカウントの取引ログをインポートしてください。</translation>
    </message>
    <message>
      <source>Bybit Closed P&amp;L</source>
      <translation>Bybit 決済損益（Closed P&amp;L）</translation>
    </message>
    <message>
      <source>Closed P&amp;L summarises positions, it is not a list of transactions. Import the derivatives trade history instead.</source>
      <translation>Closed P&amp;L はポジションの集計で、取引の一覧ではありません。代わりにデリバティブ取引履歴をインポートしてください。</translation>
    </message>
    <message>
      <source>bitFlyer trade history report (取引履歴, Japanese)</source>
      <translation>bitFlyer 取引履歴レポート（日本語）</translation>
    </message>
    <message>
      <source>bitFlyer trade history report (English)</source>
      <translation>bitFlyer 取引履歴レポート（英語）</translation>
    </message>
    <message>
      <source>bitFlyer margin (Crypto CFD) history report</source>
      <translation>bitFlyer 証拠金（暗号資産CFD）履歴レポート</translation>
    </message>
    <message>
      <source>This file type is not supported yet. Sync the Crypto CFD margin history with an API key instead.</source>
      <translation>この種類のファイルにはまだ対応していません。代わりにAPIキーで暗号資産CFDの証拠金履歴を同期してください。</translation>
    </message>
    <message>
      <source>bitFlyer conversion history report</source>
      <translation>bitFlyer 交換履歴レポート</translation>
    </message>
    <message>
      <source>This file type is not supported yet. Import the trade history report (取引履歴) instead.</source>
      <translation>この種類のファイルにはまだ対応していません。代わりに取引履歴レポートをインポートしてください。</translation>
    </message>
    <message>
      <source>Binance spot trade history</source>
      <translation>Binance 現物取引履歴</translation>
    </message>
    <message>
      <source>Binance deposit history</source>
      <translation>Binance 入金履歴</translation>
    </message>
    <message>
      <source>Binance withdrawal history</source>
      <translation>Binance 出金履歴</translation>
    </message>
    <message>
      <source>Binance transaction history statement</source>
      <translation>Binance 取引履歴明細書</translation>
    </message>
    <message>
      <source>This app does not import it yet: import Binance's spot trade history and its deposit and withdrawal history exports, and sync everything else with an API key.</source>
      <translation>このアプリはまだこのファイルをインポートできません。Binance の現物取引履歴と入金・出金履歴のエクスポートをインポートし、それ以外はAPIキーで同期してください。</translation>
    </message>
    <message>
      <source>In the file and from the API</source>
      <translation>ファイルとAPIの両方</translation>
    </message>
    <message>
      <source>Only in the file</source>
      <translation>ファイルのみ</translation>
    </message>
    <message>
      <source>Only from the API</source>
      <translation>APIのみ</translation>
    </message>
    <message>
      <source>Different values in the file and from the API</source>
      <translation>ファイルとAPIで値が異なる</translation>
    </message>
    <message>
      <source>Held for review (several API records match)</source>
      <translation>確認待ち（複数のAPIレコードが一致）</translation>
    </message>
  </context>
  <context>
    <name>keys</name>
    <message>
      <source>This is not a web address.</source>
      <translation>これはWebアドレスではありません。</translation>
    </message>
    <message>
      <source>The address must start with https://</source>
      <translation>アドレスは https:// で始めてください</translation>
    </message>
    <message>
      <source>The address must not contain a user name or an @.</source>
      <translation>アドレスにユーザー名や @ を含めることはできません。</translation>
    </message>
    <message>
      <source>The address must not contain ? or #.</source>
      <translation>アドレスに ? や # を含めることはできません。</translation>
    </message>
    <message>
      <source>The address must not contain spaces.</source>
      <translation>アドレスにスペースを含めることはできません。</translation>
    </message>
    <message>
      <source>A custom API URL must use https:// (plain http only for a server on this computer).</source>
      <translation>カスタムAPI URLには https:// を使ってください（http はこのコンピューター上のサーバーに限ります）。</translation>
    </message>
    <message>
      <source>This field is required.</source>
      <translation>この項目は必須です。</translation>
    </message>
    <message>
      <source>Contains a line break or an invisible character (such as a right-to-left mark): type the label again.</source>
      <translation>改行または見えない文字（右から左へのマークなど）が含まれています。ラベルを入力し直してください。</translation>
    </message>
    <message>
      <source>At most {limit} characters, please.</source>
      <translation>{limit} 文字以内で入力してください。</translation>
    </message>
    <message>
      <source>sub-account {name} of </source>
      <translation>サブアカウント {name}、親アカウントの </translation>
    </message>
    <message>
      <source>This {exchange} account ({where}UID {uid}) already has key {id} ({label})</source>
      <translation>この {exchange} アカウント（{where}UID {uid}）にはすでにキー {id}（{label}）があります</translation>
    </message>
    <message>
      <source>This exchange needs the key's passphrase.</source>
      <translation>この取引所ではキーのパスフレーズが必要です。</translation>
    </message>
    <message>
      <source>Contains invisible characters: paste it again.</source>
      <translation>見えない文字が含まれています。もう一度貼り付けてください。</translation>
    </message>
    <message>
      <source>Contains spaces or invisible characters: paste it again.</source>
      <translation>スペースまたは見えない文字が含まれています。もう一度貼り付けてください。</translation>
    </message>
    <message>
      <source>Does not look like a complete key: paste it again.</source>
      <translation>キー全体ではないようです。もう一度貼り付けてください。</translation>
    </message>
    <message>
      <source>trade spot and margin</source>
      <translation>現物・マージン取引</translation>
    </message>
    <message>
      <source>borrow on margin</source>
      <translation>マージンでの借入</translation>
    </message>
    <message>
      <source>trade futures</source>
      <translation>先物取引</translation>
    </message>
    <message>
      <source>trade options</source>
      <translation>オプション取引</translation>
    </message>
    <message>
      <source>trade through FIX</source>
      <translation>FIXでの取引</translation>
    </message>
    <message>
      <source>withdraw funds</source>
      <translation>出金</translation>
    </message>
    <message>
      <source>move funds to sub-accounts</source>
      <translation>サブアカウントへの資金移動</translation>
    </message>
    <message>
      <source>move funds between wallets</source>
      <translation>ウォレット間の資金移動</translation>
    </message>
    <message>
      <source>{items} and {last}</source>
      <translation>{items}、{last}</translation>
    </message>
    <message>
      <source>This key is not read-only: it can {what}. This app only reads; create a key on {exchange} with only “Enable Reading” ticked, for safety.</source>
      <translation>このキーは読み取り専用ではありません（{what} ができます）。このアプリは読み取りしか行いません。安全のため、{exchange} で「Enable Reading（読み取りを有効化）」だけにチェックを入れたキーを作成してください。</translation>
    </message>
    <message>
      <source>This key cannot read: tick “Enable Reading” for it on {exchange}, or it fetches nothing.</source>
      <translation>このキーは読み取りができません。{exchange} でこのキーの「Enable Reading（読み取りを有効化）」にチェックを入れてください。そうしないと何も取得できません。</translation>
    </message>
    <message>
      <source>This key works only from its trusted IP addresses: sync from a computer on that list.</source>
      <translation>このキーは信頼済みIPアドレスからしか使えません。そのリストにあるコンピューターから同期してください。</translation>
    </message>
    <message>
      <source>Watch-only: the app reads this wallet's public history and can never move its coins.</source>
      <translation>閲覧専用: アプリはこのウォレットの公開されている履歴を読み取るだけで、コインを動かすことはできません。</translation>
    </message>
    <message>
      <source>Receive and change addresses are derived from the extended public key, up to {gap} unused addresses in a row.</source>
      <translation>受取用とおつり用のアドレスを拡張公開鍵から導出します（未使用のアドレスが {gap} 個続くまで）。</translation>
    </message>
    <message>
      <source>This is a testnet address: add a Bitcoin mainnet address (bc1…, 1… or 3…).</source>
      <translation>これはテストネットのアドレスです。Bitcoin メインネットのアドレス（bc1…、1…、3…）を追加してください。</translation>
    </message>
    <message>
      <source>This bc1… address has a typo (its checksum does not match): copy it again.</source>
      <translation>この bc1… アドレスには入力ミスがあります（チェックサムが一致しません）。もう一度コピーしてください。</translation>
    </message>
    <message>
      <source>Not a Bitcoin address or extended public key: paste an address (bc1…, 1… or 3…) or an account's xpub, ypub or zpub.</source>
      <translation>Bitcoin のアドレスでも拡張公開鍵でもありません。アドレス（bc1…、1…、3…）か、アカウントの xpub・ypub・zpub を貼り付けてください。</translation>
    </message>
    <message>
      <source>Not a Bitcoin address: copy it again from your wallet app.</source>
      <translation>Bitcoin のアドレスではありません。ウォレットアプリからもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>This extended public key has a typo (its checksum does not match): copy it again.</source>
      <translation>この拡張公開鍵には入力ミスがあります（チェックサムが一致しません）。もう一度コピーしてください。</translation>
    </message>
    <message>
      <source>This is a PRIVATE key: never paste it anywhere. Paste the account's extended public key (xpub, ypub or zpub) instead; it only lets the app read the history.</source>
      <translation>これは秘密鍵です。絶対にどこにも貼り付けないでください。代わりにアカウントの拡張公開鍵（xpub・ypub・zpub）を貼り付けてください。拡張公開鍵では履歴の読み取りしかできません。</translation>
    </message>
    <message>
      <source>Multisig wallets are not supported yet: add their addresses one by one.</source>
      <translation>マルチシグウォレットにはまだ対応していません。アドレスを1つずつ追加してください。</translation>
    </message>
    <message>
      <source>This is a testnet key: add a Bitcoin mainnet key (xpub, ypub or zpub).</source>
      <translation>これはテストネットの鍵です。Bitcoin メインネットの鍵（xpub・ypub・zpub）を追加してください。</translation>
    </message>
    <message>
      <source>Not an extended public key this app knows: use an xpub, ypub or zpub.</source>
      <translation>このアプリが扱える拡張公開鍵ではありません。xpub・ypub・zpub を使ってください。</translation>
    </message>
    <message>
      <source>This extended public key is damaged: copy it again from your wallet app.</source>
      <translation>この拡張公開鍵は壊れています。ウォレットアプリからもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>trade</source>
      <translation>取引</translation>
    </message>
    <message>
      <source>send coins</source>
      <translation>送金</translation>
    </message>
    <message>
      <source>This key is not read-only: it can {what}. This app only reads; create a key on bitFlyer with only the history permissions ticked, for safety.</source>
      <translation>このキーは読み取り専用ではありません（{what} ができます）。このアプリは読み取りしか行いません。安全のため、bitFlyer で履歴の権限だけにチェックを入れたキーを作成してください。</translation>
    </message>
    <message>
      <source>This key cannot read “{history}”: tick “{permission}” for it on bitFlyer, or untick that history here.</source>
      <translation>このキーでは「{history}」を読み取れません。bitFlyer で「{permission}」にチェックを入れるか、ここでその履歴のチェックを外してください。</translation>
    </message>
    <message>
      <source>transfer funds</source>
      <translation>資金の振替</translation>
    </message>
    <message>
      <source>change your account</source>
      <translation>アカウントの変更</translation>
    </message>
    <message>
      <source>This key is not read-only: it can {what}. This app only reads; create a read-only key on Bybit for safety.</source>
      <translation>このキーは読み取り専用ではありません（{what} ができます）。このアプリは読み取りしか行いません。安全のため、Bybit で読み取り専用のキーを作成してください。</translation>
    </message>
    <message>
      <source>The key has no IP restriction, so Bybit expires it after 90 days.</source>
      <translation>このキーにはIP制限がないため、Bybit により90日で失効します。</translation>
    </message>
    <message>
      <source>An address starts with 0x: copy it again from your wallet.</source>
      <translation>アドレスは 0x で始まります。ウォレットからもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>An address has 40 characters after 0x: copy it again from your wallet.</source>
      <translation>アドレスは 0x の後に40文字あります。ウォレットからもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>An address has only the digits 0–9 and letters a–f after 0x: copy it again.</source>
      <translation>アドレスの 0x の後は数字 0–9 と英字 a–f だけです。もう一度コピーしてください。</translation>
    </message>
    <message>
      <source>The address's upper and lower case letters do not match its checksum: a character is wrong. Copy it again from your wallet.</source>
      <translation>アドレスの大文字・小文字がチェックサムと一致しません。どこかの文字が違います。ウォレットからもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>Watch-only: the app reads this address's public history and can never move its coins.</source>
      <translation>閲覧専用: このアプリはこのアドレスの公開履歴を読み取るだけで、コインを動かすことはできません。</translation>
    </message>
    <message>
      <source>This is a Testnet address; paste the wallet's XRP Ledger mainnet address.</source>
      <translation>これはテストネットのアドレスです。ウォレットの XRP Ledger メインネットのアドレスを貼り付けてください。</translation>
    </message>
    <message>
      <source>An XRP Ledger address starts with r (for example r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59).</source>
      <translation>XRP Ledger のアドレスは r で始まります（例: r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59）。</translation>
    </message>
    <message>
      <source>This address is damaged (its checksum does not match): copy it again from your wallet.</source>
      <translation>このアドレスは壊れています（チェックサムが一致しません）。ウォレットからもう一度コピーしてください。</translation>
    </message>
    <message>
      <source>This address has never been activated on the XRP Ledger mainnet (it has no history yet). Check that it is the right address and not a Testnet one.</source>
      <translation>このアドレスは XRP Ledger メインネットで一度も有効化されていません（まだ履歴がありません）。正しいアドレスであること、テストネットのアドレスでないことを確認してください。</translation>
    </message>
    <message>
      <source>This server keeps the ledgers only from {ledger} on; if the address is older, choose a full-history server (XRPL Cluster or s2.ripple.com).</source>
      <translation>このサーバーはレジャー {ledger} 以降しか保持していません。アドレスがそれより古い場合は、全履歴を持つサーバー（XRPL Cluster または s2.ripple.com）を選んでください。</translation>
    </message>
    <message>
      <source>Watch-only: the app reads this address's public history and can never move its funds.</source>
      <translation>閲覧専用: アプリはこのアドレスの公開されている履歴を読み取るだけで、資金を動かすことはできません。</translation>
    </message>
  </context>
  <context>
    <name>platform</name>
    <message>
      <source>The window cannot open: Qt's X11 (xcb) plugin needs system libraries that are missing:</source>
      <translation>ウィンドウを開けません: Qt の X11（xcb）プラグインに必要なシステムライブラリが不足しています:</translation>
    </message>
    <message>
      <source>Install them (Debian/Ubuntu), then start the app again:</source>
      <translation>インストールしてから（Debian/Ubuntu）、アプリをもう一度起動してください:</translation>
    </message>
    <message>
      <source>These libraries belong to the app's own Qt: reinstall it (pip install --force-reinstall PySide6-Essentials, or a fresh copy of the bundle).</source>
      <translation>これらはアプリ付属の Qt のライブラリです。再インストールしてください（pip install --force-reinstall PySide6-Essentials、またはバンドルを入れ直す）。</translation>
    </message>
    <message>
      <source>The command line works without them: cryptact-desktop --help</source>
      <translation>コマンドラインはこれらがなくても動作します: cryptact-desktop --help</translation>
    </message>
  </context>
  <context>
    <name>secrets</name>
    <message>
      <source>No secure keyring is available on this system</source>
      <translation>このシステムでは安全なキーリングを利用できません</translation>
    </message>
    <message>
      <source>Install and unlock a keyring service (GNOME Keyring or KWallet on Linux), then restart the app.</source>
      <translation>キーリングサービス（Linux では GNOME Keyring または KWallet）をインストールしてロックを解除し、アプリを再起動してください。</translation>
    </message>
    <message>
      <source>The keyring found is not safe for API secrets</source>
      <translation>見つかったキーリングはAPIシークレットの保管に安全ではありません</translation>
    </message>
    <message>
      <source>The system keyring is locked</source>
      <translation>システムのキーリングがロックされています</translation>
    </message>
    <message>
      <source>Unlock your system keyring, then try again.</source>
      <translation>システムのキーリングのロックを解除してから、もう一度お試しください。</translation>
    </message>
    <message>
      <source>No secret stored for this key</source>
      <translation>このキーのシークレットが保存されていません</translation>
    </message>
    <message>
      <source>Re-enter the API key and secret with Edit key.</source>
      <translation>「キーを編集」でAPIキーとシークレットを入力し直してください。</translation>
    </message>
    <message>
      <source>The secret stored for this key is unreadable</source>
      <translation>このキーに保存されたシークレットを読み取れません</translation>
    </message>
    <message>
      <source>The system keyring is not answering</source>
      <translation>システムのキーリングが応答しません</translation>
    </message>
    <message>
      <source>If a window asks to unlock the keyring, unlock it; otherwise restart the keyring service (or log out and back in), then try again.</source>
      <translation>キーリングのロック解除を求めるウィンドウが表示されたら、ロックを解除してください。表示されない場合は、キーリングサービスを再起動（またはログアウトして再ログイン）してから、もう一度お試しください。</translation>
    </message>
    <message>
      <source>The secret could not be saved in the system keyring</source>
      <translation>シークレットをシステムのキーリングに保存できませんでした</translation>
    </message>
    <message>
      <source>Nothing was saved. Check that the system keyring is running and unlocked, then try again.</source>
      <translation>何も保存されていません。システムのキーリングが起動していてロックが解除されているか確認してから、もう一度お試しください。</translation>
    </message>
    <message>
      <source>The secret could not be removed from the system keyring</source>
      <translation>シークレットをシステムのキーリングから削除できませんでした</translation>
    </message>
    <message>
      <source>The key was not removed. Unlock the system keyring, then remove the key again.</source>
      <translation>キーは削除されていません。システムのキーリングのロックを解除してから、もう一度キーを削除してください。</translation>
    </message>
    <message>
      <source>API secrets are kept in {backend}</source>
      <translation>APIシークレットは {backend} に保管されています</translation>
    </message>
    <message>
      <source>it keeps them in a file instead of the system keyring</source>
      <translation>システムのキーリングではなくファイルに保管するため</translation>
    </message>
    <message>
      <source>it is not a system keyring this app knows, so how it protects them cannot be checked</source>
      <translation>このアプリが認識しているシステムのキーリングではなく、どのように保護されるかを確認できないため</translation>
    </message>
    <message>
      <source>keyring picked {backend} by itself; API secrets are not stored there because {why}</source>
      <translation>keyring が自動的に {backend} を選びましたが、{why}、APIシークレットはそこに保存しません</translation>
    </message>
    <message>
      <source>API secrets are kept in {backend}, as chosen in {source}, although {why}</source>
      <translation>{source} での指定どおり、APIシークレットは {backend} に保管されていますが、{why}安全ではありません</translation>
    </message>
    <message>
      <source>For safety, remove that choice from keyring's configuration and use your system keyring (GNOME Keyring, KWallet, Keychain or Credential Locker).</source>
      <translation>安全のため、keyring の設定からその指定を削除し、システムのキーリング（GNOME Keyring、KWallet、Keychain、資格情報マネージャー）を使ってください。</translation>
    </message>
    <message>
      <source>(no keyring)</source>
      <translation>（キーリングなし）</translation>
    </message>
  </context>
  <context>
    <name>storage</name>
    <message>
      <source>Nothing was changed in it. Put back the backup of {when} with `cryptact-desktop restore-backup` (the damaged file is kept beside it, renamed), then sync again: the sync fetches everything after the backup.</source>
      <translation>ファイルには何も変更を加えていません。`cryptact-desktop restore-backup` で {when} のバックアップを戻してから（壊れたファイルは名前を変えて同じ場所に残します）、もう一度同期してください。バックアップ以降の履歴をすべて取得します。</translation>
    </message>
    <message>
      <source>Nothing was changed in it, and there is no backup. Move the file away (keep it for support) to start with a new database, then sync and import your files again.</source>
      <translation>ファイルには何も変更を加えていません。バックアップはありません。ファイルを別の場所に移して（サポート用に保管しておいてください）新しいデータベースで始め、もう一度同期してファイルをインポートし直してください。</translation>
    </message>
    <message>
      <source>the database</source>
      <translation>データベース</translation>
    </message>
    <message>
      <source>the data folder</source>
      <translation>データフォルダー</translation>
    </message>
    <message>
      <source>The database file {path} is read-only</source>
      <translation>データベースファイル {path} は読み取り専用です</translation>
    </message>
    <message>
      <source>Give your user permission to change it (and its folder), or choose another data folder with --data-dir; nothing was changed.</source>
      <translation>お使いのユーザーにファイル（とそのフォルダー）を変更する権限を与えるか、--data-dir で別のデータフォルダーを選んでください。何も変更されていません。</translation>
    </message>
    <message>
      <source>The data folder {folder} cannot be written</source>
      <translation>データフォルダー {folder} に書き込めません</translation>
    </message>
    <message>
      <source>Give your user permission to write in it, or choose another data folder with --data-dir (or CRYPTACT_DESKTOP_DATA_DIR); nothing was changed.</source>
      <translation>お使いのユーザーにフォルダーへの書き込み権限を与えるか、--data-dir（または CRYPTACT_DESKTOP_DATA_DIR）で別のデータフォルダーを選んでください。何も変更されていません。</translation>
    </message>
    <message>
      <source>The disk that holds {folder} is full</source>
      <translation>{folder} があるディスクがいっぱいです</translation>
    </message>
    <message>
      <source>Free some disk space, then try again; what was stored before is kept.</source>
      <translation>ディスクの空き容量を増やしてから、もう一度お試しください。これまでに保存したデータは保持されます。</translation>
    </message>
    <message>
      <source>The database file {path} is damaged</source>
      <translation>データベースファイル {path} が壊れています</translation>
    </message>
    <message>
      <source>The database file {path} is empty (0 bytes): a crash or a full disk cut it off</source>
      <translation>データベースファイル {path} が空です（0 バイト）。クラッシュかディスク容量不足で途切れました</translation>
    </message>
    <message>
      <source>The database {path} is locked by another program</source>
      <translation>データベース {path} がほかのプログラムにロックされています</translation>
    </message>
    <message>
      <source>Close other programs that open it (a backup or sync tool, a database viewer), then try again.</source>
      <translation>データベースを開いているほかのプログラム（バックアップや同期のツール、データベースビューアーなど）を閉じてから、もう一度お試しください。</translation>
    </message>
    <message>
      <source>The disk could not read or write the database {path}</source>
      <translation>ディスクでデータベース {path} の読み書きができませんでした</translation>
    </message>
    <message>
      <source>Check the disk (and that it is still connected), then try again.</source>
      <translation>ディスク（と接続されたままであること）を確認してから、もう一度お試しください。</translation>
    </message>
  </context>
  <context>
    <name>transfers</name>
    <message>
      <source>Not classified</source>
      <translation>未分類</translation>
    </message>
    <message>
      <source>Unknown classification {value}: use one of {names}, or none.</source>
      <translation>不明な分類です: {value}。{names} のいずれか、または none を指定してください。</translation>
    </message>
    <message>
      <source>Sent to my other wallet or account</source>
      <translation>自分の別のウォレットやアカウントへの送金</translation>
    </message>
    <message>
      <source>Sold or paid for something</source>
      <translation>売却または支払いに使用</translation>
    </message>
    <message>
      <source>Gift</source>
      <translation>贈与</translation>
    </message>
    <message>
      <source>Lost or stolen</source>
      <translation>紛失または盗難</translation>
    </message>
  </context>
</TS>
