<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>CaptionsBox</name>
    <message>
        <source>from the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another photo&apos;s caption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a caption (searchable by its words)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Described as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Captions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown once the model and the caption vocabulary are ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Captions unavailable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot describe this photo: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The caption was not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoFallback</name>
    <message>
        <source>The model %1 cannot be loaded here: %2 PhotoSearch is showing its bundled demo model on generated demo photos instead (%3). Try a search like “%4”. To search your own photos, connect to the internet and start PhotoSearch again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PhotoSearch — demo (the default model is not available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default model unavailable (offline?): showing the bundled demo model on demo photos</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>the dropped image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the pasted image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Identical files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near-duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar shots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the only copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same resolution and format; the one with camera metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same resolution, format and metadata; the larger file (less re-compressed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>otherwise alike; the oldest file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the copies are alike; the first one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>largest resolution (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same resolution; the original format (%1) over a re-saved %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include similar shots (bursts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: keep %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No duplicates found. Photos join once indexing has finished its background passes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s) would keep nothing: tick at least one photo to keep in each group.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) (%1) will go to the trash; you can restore them from there.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to trash</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something unexpected went wrong. You can keep working; if it happens again, please report it with the details below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The details were written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message>
        <source>Files that could not be indexed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Every photo was indexed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the photo was taken (from its GPS position)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Welcome to PhotoSearch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find your photos by describing them, like “%1”, or by dropping in a photo to find ones like it.

Start by adding a folder of photos. PhotoSearch indexes it on this computer: nothing is uploaded, and it works offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause watching the selected folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume watching the selected folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IndexPanel</name>
    <message>
        <source>Starting to index…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IndexPresenter</name>
    <message>
        <source>Indexing cancelled. Photos indexed so far stay searchable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexing stopped because of an error.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>PhotoSearch cannot start</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Find &amp;duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln photo(s) to the trash</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) could not be moved to the trash and were left in place.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Drop an image file or an image from a browser.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the library?

Its photos leave the search results. The files themselves are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Face data deleted; finding faces is off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find photos by describing them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type what you are looking for above, like “%1”. Or drop a photo on this window (or paste one with Ctrl+V) to find similar ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Getting ready…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening your library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PhotoSearch cannot open the library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the download; it can start again later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a model already on this computer: a folder with open_clip_config.json and the weights file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to the small model bundled with PhotoSearch (less accurate, works offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search is unavailable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelPresenter</name>
    <message>
        <source>Model not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Close this notice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected people are one person: keep the first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln photo(s) (double-click to rename)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln people. Double-click a name to change it; select two or more to merge them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No people yet: faces are found after indexing (Settings: People).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PhotoActions</name>
    <message>
        <source>No application could open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln path(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Copied the image %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copying %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Unnamed person (name them in People)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag the photo out to another app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text in the photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the photo says, read by text recognition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a photo to preview it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>matcher %1% sure it fits the query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot show this photo:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Score: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found by the text in the photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: the drive holding this photo is not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No thumbnail: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Find similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Describe a photo, e.g. “%1”, or drop a photo here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best match first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort results by relevance or by the date taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best matches only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the long tail of weak matches. The cut-off adapts to each query&apos;s scores.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by folder, date and camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The people found in your photos (Ctrl+Shift+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPresenter</name>
    <message>
        <source>downloading the reranking model: %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model… your search runs as soon as it is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) like %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) for “%1”</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>refining the order…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading the reranking model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refined in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not refined: the reranking model is unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not refined (the reranking failed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No photos match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only” or clear the filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try to clear the filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The search failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>the tiny model bundled with PhotoSearch (14 MB, for trying it out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a good general model (about 600 MB, downloaded once on first use)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deletes every face, person, name and correction from this library and switches finding faces off. Names are not kept; this cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An open_clip ARCH/PRETRAINED pair, hf-hub:ORG/REPO, local-dir:/path/to/folder, or “demo”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a model folder on this computer (open_clip_config.json and the weights file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-rank the best results with a second, more precise model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic: the demo matcher with the demo model, else Salesforce/blip-itm-base-coco</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A BLIP image-text matching model: a Hugging Face repo (downloaded once, about 900 MB for blip-itm-base-coco), local-dir:/path/to/folder, or “demo”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (10 on a CPU, 50 on a GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many of the best results the second model reorders: more is slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One pattern per line, e.g.
*/.thumbnails/*
*.psd</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reranking:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reranking model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reorder the top:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thumbnail cache:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exclude:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find faces and group them into people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faces are found on this computer only, after indexing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete face data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of PhotoSearch&apos;s window; it changes when PhotoSearch starts again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named models are downloaded once into the Hugging Face cache; a local folder or .safetensors file is used as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> This session uses “%1” (given with --model or PHOTOSEARCH_MODEL); this setting applies when PhotoSearch starts without it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> The new model loads when you press OK; your photos are then re-indexed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete face data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete it now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SimilarBar</name>
    <message>
        <source>Back to text search (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos similar to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looks like: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The captions that describe this image best, from your photos&apos; captions, yours and the bundled vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Model: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: downloading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: download cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: not loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model: unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the files that could not be indexed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln waiting</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln offline</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnderstoodChips</name>
    <message>
        <source>place %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Understood:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove: search these words as words</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WatchPresenter</name>
    <message>
        <source>Indexed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not watching folders: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watching: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message numerus="yes">
        <source>%Ln photo(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>meaning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>faces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metadata and captions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>similar photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate detection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>places</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text in photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of %Ln photo(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 photos/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>almost done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln reused</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled after %Ln photo(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The library is up to date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Indexed %Ln photo(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln removed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>model_messages</name>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading %1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download cancelled. Searching needs the model “%1”: download it again, choose a folder that holds the model, or use the small demo model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (about %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PhotoSearch can&apos;t reach huggingface.co to download the model %1. Connect to the internet and try again, choose a folder that holds the model, or use the small demo model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PhotoSearch couldn&apos;t download the model %1 from huggingface.co. Try again later, choose a folder that holds the model, or use the small demo model. Copy details tells what went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no model called “%1”. Pick another one in Settings…, choose a folder that holds the model, or use the small demo model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The graphics processor (GPU) chosen in Settings isn&apos;t available to PyTorch on this computer. Open Settings… and set Device to Automatic or CPU.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 Or use the small demo model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model could not be loaded (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
