<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DuplicatesDialog</name>
    <message numerus="yes">
        <source>%Ln group(s) would keep nothing: tick at least one photo to keep in each group.</source>
        <translation>
            <numerusform>%Ln group would keep nothing: tick at least one photo to keep in each group.</numerusform>
            <numerusform>%Ln groups would keep nothing: tick at least one photo to keep in each group.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s).</source>
        <translation>
            <numerusform>%Ln group.</numerusform>
            <numerusform>%Ln groups.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) (%1) will go to the trash; you can restore them from there.</source>
        <translation>
            <numerusform>%Ln photo (%1) will go to the trash; you can restore them from there.</numerusform>
            <numerusform>%Ln photos (%1) will go to the trash; you can restore them from there.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to trash</source>
        <translation>
            <numerusform>Move %Ln photo to trash</numerusform>
            <numerusform>Move %Ln photos to trash</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message numerus="yes">
        <source>%Ln file(s) could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</source>
        <translation>
            <numerusform>%Ln file could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</numerusform>
            <numerusform>%Ln files could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln indexed</numerusform>
            <numerusform>%Ln indexed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln failed</numerusform>
            <numerusform>%Ln failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IndexPanel</name>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln failed…</numerusform>
            <numerusform>%Ln failed…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Move %Ln photo(s) to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</source>
        <translation>
            <numerusform>Move %Ln photo to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</numerusform>
            <numerusform>Move %Ln photos to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln photo(s) to the trash</source>
        <translation>
            <numerusform>Moved %Ln photo to the trash</numerusform>
            <numerusform>Moved %Ln photos to the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) could not be moved to the trash and were left in place.</source>
        <translation>
            <numerusform>%Ln photo could not be moved to the trash and were left in place.</numerusform>
            <numerusform>%Ln photos could not be moved to the trash and were left in place.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message numerus="yes">
        <source>%1: %Ln photo(s) (double-click to rename)</source>
        <translation>
            <numerusform>%1: %Ln photo (double-click to rename)</numerusform>
            <numerusform>%1: %Ln photos (double-click to rename)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln people. Double-click a name to change it; drag a person onto another (or select two or more and Merge) when they are one person.</source>
        <translation>
            <numerusform>%Ln person. Double-click a name to change it; drag a person onto another (or select two or more and Merge) when they are one person.</numerusform>
            <numerusform>%Ln people. Double-click a name to change it; drag a person onto another (or select two or more and Merge) when they are one person.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PhotoActions</name>
    <message numerus="yes">
        <source>Copied %Ln path(s)</source>
        <translation>
            <numerusform>Copied %Ln path</numerusform>
            <numerusform>Copied %Ln paths</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchPresenter</name>
    <message numerus="yes">
        <source>%Ln photo(s) like %1</source>
        <translation>
            <numerusform>%Ln photo like %1</numerusform>
            <numerusform>%Ln photos like %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) for “%1”</source>
        <translation>
            <numerusform>%Ln photo for “%1”</numerusform>
            <numerusform>%Ln photos for “%1”</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln indexed</numerusform>
            <numerusform>%Ln indexed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln waiting</source>
        <translation>
            <numerusform>%Ln waiting</numerusform>
            <numerusform>%Ln waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln offline</source>
        <translation>
            <numerusform>%Ln offline</numerusform>
            <numerusform>%Ln offline</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln failed…</numerusform>
            <numerusform>%Ln failed…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message numerus="yes">
        <source>%Ln photo(s)</source>
        <translation>
            <numerusform>%Ln photo</numerusform>
            <numerusform>%Ln photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln video(s)</source>
        <translation>
            <numerusform>%Ln video</numerusform>
            <numerusform>%Ln videos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln file</numerusform>
            <numerusform>%Ln files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln byte</numerusform>
            <numerusform>%Ln bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of %Ln photo(s)</source>
        <translation>
            <numerusform>%1: %2 of %Ln photo</numerusform>
            <numerusform>%1: %2 of %Ln photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln reused</source>
        <translation>
            <numerusform>%Ln reused</numerusform>
            <numerusform>%Ln reused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln failed</numerusform>
            <numerusform>%Ln failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled after %Ln photo(s).</source>
        <translation>
            <numerusform>Indexing cancelled after %Ln photo.</numerusform>
            <numerusform>Indexing cancelled after %Ln photos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexed %Ln photo(s)</source>
        <translation>
            <numerusform>Indexed %Ln photo</numerusform>
            <numerusform>Indexed %Ln photos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln removed</source>
        <translation>
            <numerusform>%Ln removed</numerusform>
            <numerusform>%Ln removed</numerusform>
        </translation>
    </message>
</context>
</TS>
