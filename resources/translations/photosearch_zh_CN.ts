<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CaptionsBox</name>
    <message>
        <source>from the file</source>
        <translation>来自文件</translation>
    </message>
    <message>
        <source>yours</source>
        <translation>你写的</translation>
    </message>
    <message>
        <source>vocabulary</source>
        <translation>词库</translation>
    </message>
    <message>
        <source>another photo&apos;s caption</source>
        <translation>另一张照片的说明</translation>
    </message>
    <message>
        <source>Write a caption (searchable by its words)…</source>
        <translation>写一句说明（可按其中的字词搜索）…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Described as</source>
        <translation>看起来像</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Shown once the model and the caption vocabulary are ready.</source>
        <translation>模型和说明词库准备好后显示。</translation>
    </message>
    <message>
        <source>Captions unavailable: %1</source>
        <translation>无法读取说明：%1</translation>
    </message>
    <message>
        <source>Cannot describe this photo: %1</source>
        <translation>无法描述这张照片：%1</translation>
    </message>
    <message>
        <source>The caption was not saved: %1</source>
        <translation>说明未保存：%1</translation>
    </message>
</context>
<context>
    <name>DemoFallback</name>
    <message>
        <source>The model %1 cannot be loaded here: %2 PhotoSearch is showing its bundled demo model on generated demo photos instead (%3). Try a search like “%4”. To search your own photos, connect to the internet and start PhotoSearch again.</source>
        <translation>无法在此加载模型 %1：%2 PhotoSearch 改为用自带的演示模型展示生成的演示照片（%3）。试试搜索“%4”。要搜索你自己的照片，请连接互联网后重新启动 PhotoSearch。</translation>
    </message>
    <message>
        <source>PhotoSearch — demo (the default model is not available)</source>
        <translation>PhotoSearch — 演示（默认模型不可用）</translation>
    </message>
    <message>
        <source>Default model unavailable (offline?): showing the bundled demo model on demo photos</source>
        <translation>默认模型不可用（未联网？）：正在用自带的演示模型展示演示照片</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>the dropped image</source>
        <translation>拖入的图片</translation>
    </message>
    <message>
        <source>the pasted image</source>
        <translation>粘贴的图片</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Identical files</source>
        <translation>完全相同的文件</translation>
    </message>
    <message>
        <source>Near-duplicates</source>
        <translation>几乎相同</translation>
    </message>
    <message>
        <source>Similar shots</source>
        <translation>相似的照片</translation>
    </message>
    <message>
        <source>the only copy</source>
        <translation>唯一的副本</translation>
    </message>
    <message>
        <source>same resolution and format; the one with camera metadata</source>
        <translation>分辨率和格式相同；保留带相机信息的一张</translation>
    </message>
    <message>
        <source>same resolution, format and metadata; the larger file (less re-compressed)</source>
        <translation>分辨率、格式和元数据都相同；保留较大的文件（压缩次数较少）</translation>
    </message>
    <message>
        <source>otherwise alike; the oldest file</source>
        <translation>其余都相同；保留最早的文件</translation>
    </message>
    <message>
        <source>the copies are alike; the first one</source>
        <translation>各副本完全一样；保留第一张</translation>
    </message>
    <message>
        <source>largest resolution (%1)</source>
        <translation>分辨率最高（%1）</translation>
    </message>
    <message>
        <source>same resolution; the original format (%1) over a re-saved %2</source>
        <translation>分辨率相同；保留原始格式（%1），而非另存的 %2</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>重复照片</translation>
    </message>
    <message>
        <source>Looking for duplicates…</source>
        <translation>正在查找重复照片…</translation>
    </message>
    <message>
        <source>Include similar shots (bursts)</source>
        <translation>包括相似的照片（连拍）</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到废纸篓</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1: keep %2 (%3)</source>
        <translation>%1：保留 %2（%3）</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>no preview</source>
        <translation>无预览</translation>
    </message>
    <message>
        <source>No duplicates found. Photos join once indexing has finished its background passes.</source>
        <translation>没有找到重复照片。后台索引完成后，照片才会参与查找。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s) would keep nothing: tick at least one photo to keep in each group.</source>
        <translation>
            <numerusform>有 %Ln 组一张都没保留：每组请至少勾选一张要保留的照片。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s).</source>
        <translation>
            <numerusform>共 %Ln 组。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) (%1) will go to the trash; you can restore them from there.</source>
        <translation>
            <numerusform>%Ln 张照片（%1）将移到废纸篓，之后可从废纸篓恢复。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to trash</source>
        <translation>
            <numerusform>将 %Ln 张照片移到废纸篓</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详细信息</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详细信息</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Problem</source>
        <translation>出现问题</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. You can keep working; if it happens again, please report it with the details below.</source>
        <translation>发生了意外错误。你可以继续使用；如果再次出现，请附上下面的详细信息报告给我们。</translation>
    </message>
    <message>
        <source>The details were written to %1.</source>
        <translation>详细信息已写入 %1。</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message>
        <source>Files that could not be indexed</source>
        <translation>无法索引的文件</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</source>
        <translation>
            <numerusform>有 %Ln 个文件无法索引。在它们改变之前会被跳过；修复或移除后会重新处理。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every photo was indexed.</source>
        <translation>所有照片都已索引。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Copy list</source>
        <translation>复制列表</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All folders</source>
        <translation>所有文件夹</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Any camera</source>
        <translation>任意相机</translation>
    </message>
    <message>
        <source>Any place</source>
        <translation>任意地点</translation>
    </message>
    <message>
        <source>Where the photo was taken (from its GPS position)</source>
        <translation>拍摄地点（根据 GPS 位置）</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Welcome to PhotoSearch</source>
        <translation>欢迎使用 PhotoSearch</translation>
    </message>
    <message>
        <source>Find your photos by describing them, like “%1”, or by dropping in a photo to find ones like it.

Start by adding a folder of photos. PhotoSearch indexes it on this computer: nothing is uploaded, and it works offline.</source>
        <translation>用一句描述来找照片，比如“%1”；也可以拖入一张照片，找出和它相似的照片。

先添加一个照片文件夹吧。PhotoSearch 只在这台电脑上建立索引：不会上传任何内容，断网也能用。</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>添加文件夹…</translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>已索引 %Ln 张</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln 个失败</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Remove the selected folder</source>
        <translation>移除所选文件夹</translation>
    </message>
    <message>
        <source>Pause watching the selected folder</source>
        <translation>暂停监视所选文件夹</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Resume watching the selected folder</source>
        <translation>继续监视所选文件夹</translation>
    </message>
</context>
<context>
    <name>IndexPanel</name>
    <message>
        <source>Starting to index…</source>
        <translation>正在开始索引…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln 个失败…</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>IndexPresenter</name>
    <message>
        <source>Indexing cancelled. Photos indexed so far stay searchable.</source>
        <translation>索引已取消。已索引的照片仍可搜索。</translation>
    </message>
    <message>
        <source>Indexing stopped because of an error.</source>
        <translation>索引因出错而停止。</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>PhotoSearch cannot start</source>
        <translation>PhotoSearch 无法启动</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Find &amp;duplicates…</source>
        <translation>查找重复照片(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Library</source>
        <translation>图库(&amp;L)</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>移到废纸篓</translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</source>
        <translation>
            <numerusform>将 %Ln 张照片移到废纸篓吗？

它们会立即离开图库；你可以从废纸篓恢复（图库会重新收录）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln photo(s) to the trash</source>
        <translation>
            <numerusform>已将 %Ln 张照片移到废纸篓</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) could not be moved to the trash and were left in place.</source>
        <translation>
            <numerusform>%Ln 张照片无法移到废纸篓，已留在原处。</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop an image file or an image from a browser.</source>
        <translation>请拖入图片文件，或从浏览器拖入图片。</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>移除文件夹</translation>
    </message>
    <message>
        <source>Remove %1 from the library?

Its photos leave the search results. The files themselves are not touched.</source>
        <translation>从图库中移除 %1 吗？

其中的照片将不再出现在搜索结果中，文件本身不会受影响。</translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation>添加照片文件夹</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>设置已保存</translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation>新语言将在 PhotoSearch 下次启动时生效。</translation>
    </message>
    <message>
        <source>Face data deleted; finding faces is off</source>
        <translation>人脸数据已删除；人脸识别已关闭</translation>
    </message>
    <message>
        <source>Find photos by describing them</source>
        <translation>用描述来找照片</translation>
    </message>
    <message>
        <source>Type what you are looking for above, like “%1”. Or drop a photo on this window (or paste one with Ctrl+V) to find similar ones.</source>
        <translation>在上方输入你要找的内容，比如“%1”。也可以把照片拖到这个窗口（或用 Ctrl+V 粘贴），找出相似的照片。</translation>
    </message>
    <message>
        <source>Getting ready…</source>
        <translation>正在准备…</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>没有匹配的照片</translation>
    </message>
    <message>
        <source>Cannot search</source>
        <translation>无法搜索</translation>
    </message>
    <message>
        <source>Opening your library…</source>
        <translation>正在打开图库…</translation>
    </message>
    <message>
        <source>PhotoSearch cannot open the library</source>
        <translation>PhotoSearch 无法打开图库</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>选择存放模型的文件夹</translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <source>On the Crossmodal-3600 benchmark it finds the right photo first for %1 of Chinese queries; the English model for %2.</source>
        <translation>在 Crossmodal-3600 基准测试中，它对 %1 的中文查询把正确的照片排在第一；英文模型只有 %2。</translation>
    </message>
    <message>
        <source>On the Crossmodal-3600 benchmark it finds the right photo first for %1 of queries in 36 languages; the English model for %2.</source>
        <translation>在 Crossmodal-3600 基准测试中，它对 36 种语言中 %1 的查询把正确的照片排在第一；英文模型只有 %2。</translation>
    </message>
    <message>
        <source>Your computer is set to %1. The standard model understands English only; the multilingual model (%2 languages, about %3) lets you search in your language.</source>
        <translation>你的电脑设置为%1。标准模型只懂英文；多语言模型（%2 种语言，约 %3）让你用自己的语言搜索。</translation>
    </message>
    <message>
        <source>Use the multilingual model</source>
        <translation>使用多语言模型</translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the download; it can start again later</source>
        <translation>停止下载；以后可以重新开始</translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation>选择模型文件夹…</translation>
    </message>
    <message>
        <source>Use a model already on this computer: a folder with open_clip_config.json and the weights file</source>
        <translation>使用这台电脑上已有的模型：包含 open_clip_config.json 和权重文件的文件夹</translation>
    </message>
    <message>
        <source>Use demo model</source>
        <translation>使用演示模型</translation>
    </message>
    <message>
        <source>Switch to the small model bundled with PhotoSearch (less accurate, works offline)</source>
        <translation>切换到 PhotoSearch 自带的小模型（准确度较低，可离线使用）</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <source>Download again</source>
        <translation>重新下载</translation>
    </message>
    <message>
        <source>Search is unavailable.</source>
        <translation>暂时无法搜索。</translation>
    </message>
</context>
<context>
    <name>ModelPresenter</name>
    <message>
        <source>Model not loaded</source>
        <translation>模型未加载</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Loading the model: %1</source>
        <translation>正在加载模型：%1</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Close this notice</source>
        <translation>关闭此提示</translation>
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
        <translation>合并所选</translation>
    </message>
    <message>
        <source>The selected people are one person: keep the first</source>
        <translation>所选的是同一个人：保留第一个</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show photos</source>
        <translation>显示照片</translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln photo(s) (double-click to rename)</source>
        <translation>
            <numerusform>%1：%Ln 张照片（双击可重命名）</numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed</source>
        <translation>未命名</translation>
    </message>
    <message numerus="yes">
        <source>%Ln people. Double-click a name to change it; drag a person onto another (or select two or more and Merge) when they are one person.</source>
        <translation>
            <numerusform>共 %Ln 人。双击名字可修改；若两人其实是同一个人，把一人拖到另一人上（或选中两人以上再点“合并”）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Merge people</source>
        <translation>合并人物</translation>
    </message>
    <message>
        <source>%1 and %2 will be one person, named %2. A face can be moved out again from the preview (right-click it: Not %2).</source>
        <translation>%1 和 %2 将合并为一个人，名为 %2。之后仍可在预览中把某张脸移出（右键点击它：不是 %2）。</translation>
    </message>
    <message>
        <source>No people yet: faces are found after indexing (Settings: People).</source>
        <translation>还没有人物：索引完成后才会查找人脸（设置：人物）。</translation>
    </message>
</context>
<context>
    <name>PhotoActions</name>
    <message>
        <source>No application could open %1</source>
        <translation>没有应用程序能打开 %1</translation>
    </message>
    <message>
        <source>No video player could open %1</source>
        <translation>没有视频播放器能打开 %1</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>已复制 %1</translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln path(s)</source>
        <translation>
            <numerusform>已复制 %Ln 个路径</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied the image %1</source>
        <translation>已复制图片 %1</translation>
    </message>
    <message>
        <source>Copying %1…</source>
        <translation>正在复制 %1…</translation>
    </message>
</context>
<context>
    <name>PreviewImage</name>
    <message>
        <source>Not %1</source>
        <translation>不是 %1</translation>
    </message>
    <message>
        <source>Move this face out of %1; it will never be put back</source>
        <translation>把这张脸从 %1 中移出；以后不会再被归回去</translation>
    </message>
    <message>
        <source>Not this person</source>
        <translation>不是这个人</translation>
    </message>
    <message>
        <source>Move this face out of its person; it will never be put back</source>
        <translation>把这张脸从它所属的人物中移出；以后不会再被归回去</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Unnamed person (name them in People)</source>
        <translation>未命名的人（可在“人物”中命名）</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <source>Taken:</source>
        <translation>拍摄时间：</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>相机：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation>尺寸：</translation>
    </message>
    <message>
        <source>Score:</source>
        <translation>得分：</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>显示位置</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation>查找相似</translation>
    </message>
    <message>
        <source>Drag the photo out to another app</source>
        <translation>可把照片拖到其他应用中</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Text in the photo</source>
        <translation>照片中的文字</translation>
    </message>
    <message>
        <source>What the photo says, read by text recognition</source>
        <translation>照片中写的内容，由文字识别读出</translation>
    </message>
    <message>
        <source>Select a photo to preview it</source>
        <translation>选择一张照片进行预览</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>matcher %1% sure it fits the query</source>
        <translation>匹配模型有 %1% 把握符合搜索</translation>
    </message>
    <message>
        <source>Play from %1</source>
        <translation>从 %1 开始播放</translation>
    </message>
    <message>
        <source>Play motion</source>
        <translation>播放动态影像</translation>
    </message>
    <message>
        <source>Opens a video player at this moment (mpv, VLC, IINA...; else the system&apos;s player from the start)</source>
        <translation>在这一刻打开视频播放器（mpv、VLC、IINA 等；若没有，则用系统播放器从头播放）</translation>
    </message>
    <message>
        <source>Cannot show this photo:</source>
        <translation>无法显示这张照片：</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Score: %1</source>
        <translation>得分：%1</translation>
    </message>
    <message>
        <source>Found by the text in the photo</source>
        <translation>通过照片中的文字找到</translation>
    </message>
    <message>
        <source>Taken: %1</source>
        <translation>拍摄时间：%1</translation>
    </message>
    <message>
        <source>Camera: %1</source>
        <translation>相机：%1</translation>
    </message>
    <message>
        <source>Video, %1 long; best moment at %2</source>
        <translation>视频，时长 %1；最佳时刻在 %2</translation>
    </message>
    <message>
        <source>Offline: the drive holding this photo is not connected</source>
        <translation>离线：存放这张照片的磁盘未连接</translation>
    </message>
    <message>
        <source>No thumbnail: %1</source>
        <translation>没有缩略图：%1</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Find similar</source>
        <translation>查找相似</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Describe a photo, e.g. “%1”, or drop a photo here</source>
        <translation>描述一张照片，比如“%1”，或把照片拖到这里</translation>
    </message>
    <message>
        <source>Best match first</source>
        <translation>最匹配的在前</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>最新的在前</translation>
    </message>
    <message>
        <source>Sort results by relevance or by the date taken</source>
        <translation>按相关度或拍摄日期排序结果</translation>
    </message>
    <message>
        <source>Best matches only</source>
        <translation>只显示最佳匹配</translation>
    </message>
    <message>
        <source>Hide the long tail of weak matches. The cut-off adapts to each query&apos;s scores.</source>
        <translation>隐藏大量匹配度低的结果。截断点会根据每次搜索的得分自动调整。</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Filter by folder, date and camera</source>
        <translation>按文件夹、日期和相机筛选</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人物</translation>
    </message>
    <message>
        <source>The people found in your photos (Ctrl+Shift+P)</source>
        <translation>在你的照片中找到的人物（Ctrl+Shift+P）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>SearchPresenter</name>
    <message>
        <source>downloading the reranking model: %1…</source>
        <translation>正在下载重排序模型：%1…</translation>
    </message>
    <message>
        <source>preparing the reranking model for this computer (once, a few minutes)…</source>
        <translation>正在为这台电脑准备重排序模型（仅此一次，需要几分钟）…</translation>
    </message>
    <message>
        <source>Loading the model… your search runs as soon as it is ready.</source>
        <translation>正在加载模型… 准备好后会立即搜索。</translation>
    </message>
    <message>
        <source>%1 like %2</source>
        <comment>12 photos and 3 videos like IMG_1.jpg</comment>
        <translation>与 %2 相似的%1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) like %1</source>
        <translation>
            <numerusform>%Ln 张与 %1 相似的照片</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 for “%2”</source>
        <comment>12 photos and 3 videos for “beach”</comment>
        <translation>“%2”的搜索结果：%1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) for “%1”</source>
        <translation>
            <numerusform>“%1”的搜索结果：%Ln 张照片</numerusform>
        </translation>
    </message>
    <message>
        <source>refining the order…</source>
        <translation>正在优化排序…</translation>
    </message>
    <message>
        <source>loading the reranking model…</source>
        <translation>正在加载重排序模型…</translation>
    </message>
    <message>
        <source>refined in %1</source>
        <translation>排序已优化，用时 %1</translation>
    </message>
    <message>
        <source>not refined: the reranking model is unavailable</source>
        <translation>未优化排序：重排序模型不可用</translation>
    </message>
    <message>
        <source>not refined (the reranking failed)</source>
        <translation>未优化排序（重排序失败）</translation>
    </message>
    <message>
        <source>No photos match.</source>
        <translation>没有匹配的照片。</translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only” or clear the filters.</source>
        <translation>可以试试关闭“只显示最佳匹配”或清除筛选。</translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only”.</source>
        <translation>可以试试关闭“只显示最佳匹配”。</translation>
    </message>
    <message>
        <source>Try to clear the filters.</source>
        <translation>可以试试清除筛选。</translation>
    </message>
    <message>
        <source>The search failed.</source>
        <translation>搜索失败。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>the tiny model bundled with PhotoSearch (14 MB, for trying it out)</source>
        <translation>PhotoSearch 自带的小模型（14 MB，供试用）</translation>
    </message>
    <message>
        <source>a good general model (about 600 MB, downloaded once on first use)</source>
        <translation>一个优秀的通用模型（约 600 MB，首次使用时下载一次）</translation>
    </message>
    <message>
        <source>%1 languages</source>
        <translation>%1 种语言</translation>
    </message>
    <message>
        <source>a multilingual model (%1, about %2, downloaded once)</source>
        <translation>多语言模型（%1，约 %2，只需下载一次）</translation>
    </message>
    <message>
        <source>; finds the right photo first for %1 of Chinese and %2 of English queries (Crossmodal-3600)</source>
        <translation>；对 %1 的中文查询和 %2 的英文查询把正确的照片排在第一（Crossmodal-3600）</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>自动（推荐）</translation>
    </message>
    <message>
        <source>ONNX Runtime on the CPU, PyTorch on a GPU</source>
        <translation>在 CPU 上用 ONNX Runtime，在 GPU 上用 PyTorch</translation>
    </message>
    <message>
        <source>Always ONNX Runtime, on the CPU: searches start fastest; each model is converted once, on first use, and checked against the original</source>
        <translation>始终在 CPU 上用 ONNX Runtime：搜索启动最快；每个模型在首次使用时转换一次，并与原模型核对</translation>
    </message>
    <message>
        <source>Always PyTorch (open_clip), the original model: on a GPU, or on the CPU as the reference; slower to start</source>
        <translation>始终用 PyTorch（open_clip），即原模型：在 GPU 上运行，或在 CPU 上作为参照；启动较慢</translation>
    </message>
    <message>
        <source>PyTorch is not part of this edition of PhotoSearch: the lean edition runs models on ONNX Runtime only.</source>
        <translation>此版本的 PhotoSearch 不含 PyTorch：精简版只用 ONNX Runtime 运行模型。</translation>
    </message>
    <message>
        <source>Deletes every face, person, name and correction from this library and switches finding faces off. Names are not kept; this cannot be undone.</source>
        <translation>删除此图库中的所有人脸、人物、名字和更正，并关闭人脸识别。名字不会保留；此操作无法撤销。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>An open_clip ARCH/PRETRAINED pair, hf-hub:ORG/REPO, local-dir:/path/to/folder, or “demo”</source>
        <translation>open_clip 的 ARCH/PRETRAINED 组合、hf-hub:ORG/REPO、local-dir:/文件夹/路径，或“demo”</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Use a model folder on this computer (open_clip_config.json and the weights file)</source>
        <translation>使用这台电脑上的模型文件夹（open_clip_config.json 和权重文件）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
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
        <translation>用第二个更精确的模型对最佳结果重新排序</translation>
    </message>
    <message>
        <source>Automatic: the demo matcher with the demo model, else Salesforce/blip-itm-base-coco</source>
        <translation>自动：演示模型配演示匹配模型，否则用 Salesforce/blip-itm-base-coco</translation>
    </message>
    <message>
        <source>A BLIP image-text matching model: a Hugging Face repo (downloaded once, about 900 MB for blip-itm-base-coco), local-dir:/path/to/folder, or “demo”</source>
        <translation>BLIP 图文匹配模型：Hugging Face 仓库（只下载一次，blip-itm-base-coco 约 900 MB）、local-dir:/文件夹/路径，或“demo”</translation>
    </message>
    <message>
        <source>Automatic (10 on a CPU, 50 on a GPU)</source>
        <translation>自动（CPU 上 10 张，GPU 上 50 张）</translation>
    </message>
    <message>
        <source> photos</source>
        <translation> 张照片</translation>
    </message>
    <message>
        <source>How many of the best results the second model reorders: more is slower</source>
        <translation>第二个模型重新排序的最佳结果数量：越多越慢</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>After indexing, the reranking model reads this many of your most recent photos in the background, so that reranking them is quick (about 1 MB of disk each with the default model)</source>
        <translation>索引完成后，重排序模型会在后台读取这么多张您最近的照片，以便快速对它们重排序（使用默认模型时每张约占 1 MB 磁盘空间）</translation>
    </message>
    <message>
        <source>One pattern per line, e.g.
*/.thumbnails/*
*.psd</source>
        <translation>每行一个模式，例如
*/.thumbnails/*
*.psd</translation>
    </message>
    <message>
        <source>https://huggingface.co (or a mirror, e.g. https://hf-mirror.com)</source>
        <translation>https://huggingface.co（或镜像，例如 https://hf-mirror.com）</translation>
    </message>
    <message>
        <source>Where models are downloaded from. If huggingface.co is blocked where you are, enter a mirror such as https://hf-mirror.com</source>
        <translation>模型从哪里下载。如果你所在的地方无法访问 huggingface.co，请填写镜像，例如 https://hf-mirror.com</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Model server:</source>
        <translation>模型服务器：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Runtime:</source>
        <translation>运行环境：</translation>
    </message>
    <message>
        <source>Reranking:</source>
        <translation>重排序：</translation>
    </message>
    <message>
        <source>Reranking model:</source>
        <translation>重排序模型：</translation>
    </message>
    <message>
        <source>Reorder the top:</source>
        <translation>重新排序前：</translation>
    </message>
    <message>
        <source>Prepare the most recent:</source>
        <translation>预先准备最近的：</translation>
    </message>
    <message>
        <source>Thumbnail cache:</source>
        <translation>缩略图缓存：</translation>
    </message>
    <message>
        <source>Exclude:</source>
        <translation>排除：</translation>
    </message>
    <message>
        <source>Find faces and group them into people</source>
        <translation>识别人脸并按人物归类</translation>
    </message>
    <message>
        <source>Faces are found on this computer only, after indexing</source>
        <translation>人脸只在这台电脑上识别，在索引完成之后进行</translation>
    </message>
    <message>
        <source>Delete face data…</source>
        <translation>删除人脸数据…</translation>
    </message>
    <message>
        <source>People:</source>
        <translation>人物：</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>The language of PhotoSearch&apos;s window; it changes when PhotoSearch starts again</source>
        <translation>PhotoSearch 界面的语言；在 PhotoSearch 下次启动时更改</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>What runs the model. Both give the same results within a cosine of 0.999, so switching needs no re-indexing.</source>
        <translation>运行模型的软件。两者的结果在余弦相似度 0.999 以内一致，因此切换后无需重新索引。</translation>
    </message>
    <message>
        <source>Runs on: …</source>
        <translation>运行于：…</translation>
    </message>
    <message>
        <source>For each part of the model converted to ONNX: its precision and the lowest cosine similarity of its output to the original (1 = identical)</source>
        <translation>模型中每个转换为 ONNX 的部分：其精度，以及其输出与原模型输出之间的最低余弦相似度（1 = 完全相同）</translation>
    </message>
    <message>
        <source>Runs on: %1</source>
        <translation>运行于：%1</translation>
    </message>
    <message>
        <source>This session uses “%1” (given with PHOTOSEARCH_RUNTIME); this setting applies when PhotoSearch starts without it.</source>
        <translation>本次运行使用的是“%1”（由 PHOTOSEARCH_RUNTIME 指定）；不指定它启动 PhotoSearch 时，此设置才会生效。</translation>
    </message>
    <message>
        <source>The model loads again on the new runtime when you press OK.</source>
        <translation>按“确定”后，模型会在新的运行环境上重新加载。</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>选择存放模型的文件夹</translation>
    </message>
    <message>
        <source>“%1” is %2.</source>
        <translation>“%1”是%2。</translation>
    </message>
    <message>
        <source>Named models are downloaded once into the Hugging Face cache; a local folder or .safetensors file is used as it is.</source>
        <translation>按名称指定的模型只会下载一次，存入 Hugging Face 缓存；本地文件夹或 .safetensors 文件则直接使用。</translation>
    </message>
    <message>
        <source> This session uses “%1” (given with --model or PHOTOSEARCH_MODEL); this setting applies when PhotoSearch starts without it.</source>
        <translation>本次运行使用的是“%1”（由 --model 或 PHOTOSEARCH_MODEL 指定）；不指定它启动 PhotoSearch 时，此设置才会生效。</translation>
    </message>
    <message>
        <source> The new model loads when you press OK; your photos are then re-indexed.</source>
        <translation>按“确定”后会加载新模型，然后重新索引你的照片。</translation>
    </message>
    <message>
        <source>Delete face data</source>
        <translation>删除人脸数据</translation>
    </message>
    <message>
        <source>Delete it now?</source>
        <translation>现在删除吗？</translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation>新语言将在 PhotoSearch 下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>SimilarBar</name>
    <message>
        <source>Back to text search (Esc)</source>
        <translation>返回文字搜索（Esc）</translation>
    </message>
    <message>
        <source>Photos similar to %1</source>
        <translation>与 %1 相似的照片</translation>
    </message>
    <message>
        <source>Looks like: %1</source>
        <translation>看起来像：%1</translation>
    </message>
    <message>
        <source>The captions that describe this image best, from your photos&apos; captions, yours and the bundled vocabulary</source>
        <translation>最能描述这张图片的说明，来自你照片的说明、你写的说明和自带词库</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Model: loading…</source>
        <translation>模型：正在加载…</translation>
    </message>
    <message>
        <source>Model: downloading…</source>
        <translation>模型：正在下载…</translation>
    </message>
    <message>
        <source>Model: download cancelled</source>
        <translation>模型：下载已取消</translation>
    </message>
    <message>
        <source>Model: not loaded</source>
        <translation>模型：未加载</translation>
    </message>
    <message>
        <source>Model: unavailable</source>
        <translation>模型：不可用</translation>
    </message>
    <message>
        <source>Show the files that could not be indexed</source>
        <translation>显示无法索引的文件</translation>
    </message>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>已索引 %Ln 张</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln waiting</source>
        <translation>
            <numerusform>%Ln 张待处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln offline</source>
        <translation>
            <numerusform>%Ln 张离线</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln 个失败…</numerusform>
        </translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
</context>
<context>
    <name>UnderstoodChips</name>
    <message>
        <source>place %1</source>
        <translation>地点 %1</translation>
    </message>
    <message>
        <source>person %1</source>
        <translation>人物 %1</translation>
    </message>
    <message>
        <source>Understood:</source>
        <translation>已识别：</translation>
    </message>
    <message>
        <source>Remove: search these words as words</source>
        <translation>移除：按普通字词搜索这些词</translation>
    </message>
</context>
<context>
    <name>WatchPresenter</name>
    <message>
        <source>Indexed</source>
        <translation>已索引</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>已移动</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Not watching folders: %1</source>
        <translation>未在监视文件夹：%1</translation>
    </message>
    <message>
        <source>Watching: %1</source>
        <translation>监视：%1</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message numerus="yes">
        <source>%Ln photo(s)</source>
        <translation>
            <numerusform>%Ln 张照片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln video(s)</source>
        <translation>
            <numerusform>%Ln 个视频</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <comment>120 photos and 3 videos</comment>
        <translation>%1和%2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln 字节</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown date</source>
        <translation>日期未知</translation>
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
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Scanning folders</source>
        <translation>正在扫描文件夹</translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation>正在索引</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>正在保存</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>meaning</source>
        <translation>内容理解</translation>
    </message>
    <message>
        <source>faces</source>
        <translation>人脸</translation>
    </message>
    <message>
        <source>metadata and captions</source>
        <translation>元数据和说明</translation>
    </message>
    <message>
        <source>similar photos</source>
        <translation>相似照片</translation>
    </message>
    <message>
        <source>duplicate detection</source>
        <translation>重复检测</translation>
    </message>
    <message>
        <source>places</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>text in photos</source>
        <translation>照片中的文字</translation>
    </message>
    <message>
        <source>reranking features</source>
        <translation>重排序特征</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of %Ln photo(s)</source>
        <translation>
            <numerusform>%1：%2 / %Ln 张照片</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 photos/s</source>
        <translation>每秒 %1 张</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>即将完成</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>大约还需 %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reused</source>
        <translation>
            <numerusform>%Ln 张沿用已有结果</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln 个失败</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled after %Ln photo(s).</source>
        <translation>
            <numerusform>索引已取消，已处理 %Ln 张照片。</numerusform>
        </translation>
    </message>
    <message>
        <source>The library is up to date.</source>
        <translation>图库已是最新。</translation>
    </message>
    <message numerus="yes">
        <source>Indexed %Ln photo(s)</source>
        <translation>
            <numerusform>已索引 %Ln 张照片</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln removed</source>
        <translation>
            <numerusform>移除 %Ln 张</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in %2.</source>
        <translation>%1，用时 %2。</translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>%1 (not available in this edition)</source>
        <translation>%1（此版本不可用）</translation>
    </message>
    <message>
        <source>(min. cosine %1)</source>
        <translation>（最低余弦相似度 %1）</translation>
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
        <translation>正在下载 %1 — %2</translation>
    </message>
    <message>
        <source>Download cancelled. Searching needs the model “%1”: download it again, choose a folder that holds the model, or use the small demo model.</source>
        <translation>下载已取消。搜索需要模型“%1”：请重新下载、选择存放模型的文件夹，或使用小型演示模型。</translation>
    </message>
    <message>
        <source>%1 (about %2)</source>
        <translation>%1（约 %2）</translation>
    </message>
    <message>
        <source>If %1 is blocked where you are, enter a mirror such as https://hf-mirror.com as Model server in Settings….</source>
        <translation>如果你所在的地方无法访问 %1，请在“设置…”里把“模型服务器”改为镜像，例如 https://hf-mirror.com。</translation>
    </message>
    <message>
        <source>PhotoSearch can&apos;t reach %2 to download the model %1. Connect to the internet and try again, choose a folder that holds the model, or use the small demo model.</source>
        <translation>PhotoSearch 无法连接 %2 来下载模型 %1。请连上网络后重试、选择存放该模型的文件夹，或使用小型演示模型。</translation>
    </message>
    <message>
        <source>PhotoSearch couldn&apos;t download the model %1 from %2. Try again later, choose a folder that holds the model, or use the small demo model. Copy details tells what went wrong.</source>
        <translation>PhotoSearch 无法从 %2 下载模型 %1。请稍后重试、选择存放该模型的文件夹，或使用小型演示模型。“复制详细信息”会说明出了什么问题。</translation>
    </message>
    <message>
        <source>There is no model called “%1”. Pick another one in Settings…, choose a folder that holds the model, or use the small demo model.</source>
        <translation>没有名为“%1”的模型。请在“设置…”中另选一个、选择存放模型的文件夹，或使用小型演示模型。</translation>
    </message>
    <message>
        <source>The graphics processor (GPU) chosen in Settings isn&apos;t available to PyTorch on this computer. Open Settings… and set Device to Automatic or CPU.</source>
        <translation>这台电脑上的 PyTorch 无法使用设置中选择的显卡（GPU）。请打开“设置…”，把“设备”改为“自动”或“CPU”。</translation>
    </message>
    <message>
        <source>%1 Or use the small demo model.</source>
        <translation>%1 也可以使用小型演示模型。</translation>
    </message>
    <message>
        <source>The model could not be loaded (%1).</source>
        <translation>无法加载模型（%1）。</translation>
    </message>
</context>
</TS>
