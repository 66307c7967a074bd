<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>CaptionsBox</name>
    <message>
        <source>from the file</source>
        <translation>del archivo</translation>
    </message>
    <message>
        <source>yours</source>
        <translation>tuyo</translation>
    </message>
    <message>
        <source>vocabulary</source>
        <translation>vocabulario</translation>
    </message>
    <message>
        <source>another photo&apos;s caption</source>
        <translation>pie de otra foto</translation>
    </message>
    <message>
        <source>Write a caption (searchable by its words)…</source>
        <translation>Escribe un pie de foto (se puede buscar por sus palabras)…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Described as</source>
        <translation>Descrita como</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>Pies de foto</translation>
    </message>
    <message>
        <source>Shown once the model and the caption vocabulary are ready.</source>
        <translation>Se muestra cuando el modelo y el vocabulario de pies de foto estén listos.</translation>
    </message>
    <message>
        <source>Captions unavailable: %1</source>
        <translation>Pies de foto no disponibles: %1</translation>
    </message>
    <message>
        <source>Cannot describe this photo: %1</source>
        <translation>No se puede describir esta foto: %1</translation>
    </message>
    <message>
        <source>The caption was not saved: %1</source>
        <translation>No se guardó el pie de foto: %1</translation>
    </message>
</context>
<context>
    <name>DemoFallback</name>
    <message>
        <source>The model %1 cannot be loaded here: %2 PhotoSearch is showing its bundled demo model on generated demo photos instead (%3). Try a search like “%4”. To search your own photos, connect to the internet and start PhotoSearch again.</source>
        <translation>No se puede cargar el modelo %1 aquí: %2 En su lugar, PhotoSearch muestra su modelo de demostración con fotos de demostración generadas (%3). Prueba a buscar algo como «%4». Para buscar en tus propias fotos, conéctate a internet y vuelve a abrir PhotoSearch.</translation>
    </message>
    <message>
        <source>PhotoSearch — demo (the default model is not available)</source>
        <translation>PhotoSearch — demostración (el modelo predeterminado no está disponible)</translation>
    </message>
    <message>
        <source>Default model unavailable (offline?): showing the bundled demo model on demo photos</source>
        <translation>Modelo predeterminado no disponible (¿sin conexión?): se muestra el modelo de demostración con fotos de demostración</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>the dropped image</source>
        <translation>la imagen arrastrada</translation>
    </message>
    <message>
        <source>the pasted image</source>
        <translation>la imagen pegada</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Identical files</source>
        <translation>Archivos idénticos</translation>
    </message>
    <message>
        <source>Near-duplicates</source>
        <translation>Casi duplicados</translation>
    </message>
    <message>
        <source>Similar shots</source>
        <translation>Fotos parecidas</translation>
    </message>
    <message>
        <source>the only copy</source>
        <translation>la única copia</translation>
    </message>
    <message>
        <source>same resolution and format; the one with camera metadata</source>
        <translation>misma resolución y formato; la que tiene datos de la cámara</translation>
    </message>
    <message>
        <source>same resolution, format and metadata; the larger file (less re-compressed)</source>
        <translation>misma resolución, formato y metadatos; el archivo más grande (menos recomprimido)</translation>
    </message>
    <message>
        <source>otherwise alike; the oldest file</source>
        <translation>por lo demás iguales; el archivo más antiguo</translation>
    </message>
    <message>
        <source>the copies are alike; the first one</source>
        <translation>las copias son iguales; la primera</translation>
    </message>
    <message>
        <source>largest resolution (%1)</source>
        <translation>mayor resolución (%1)</translation>
    </message>
    <message>
        <source>same resolution; the original format (%1) over a re-saved %2</source>
        <translation>misma resolución; el formato original (%1) antes que un %2 guardado de nuevo</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Duplicados</translation>
    </message>
    <message>
        <source>Looking for duplicates…</source>
        <translation>Buscando duplicados…</translation>
    </message>
    <message>
        <source>Include similar shots (bursts)</source>
        <translation>Incluir fotos parecidas (ráfagas)</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>Mover a la papelera</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>%1: keep %2 (%3)</source>
        <translation>%1: conservar %2 (%3)</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Conservar</translation>
    </message>
    <message>
        <source>no preview</source>
        <translation>sin vista previa</translation>
    </message>
    <message>
        <source>No duplicates found. Photos join once indexing has finished its background passes.</source>
        <translation>No se encontraron duplicados. Las fotos se tienen en cuenta cuando el indexado termina sus pasadas en segundo plano.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s) would keep nothing: tick at least one photo to keep in each group.</source>
        <translation>
            <numerusform>%Ln grupo no conservaría nada: marca al menos una foto para conservar en cada grupo.</numerusform>
            <numerusform>%Ln grupos no conservarían nada: marca al menos una foto para conservar en cada grupo.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln group(s).</source>
        <translation>
            <numerusform>%Ln grupo.</numerusform>
            <numerusform>%Ln grupos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) (%1) will go to the trash; you can restore them from there.</source>
        <translation>
            <numerusform>%Ln foto (%1) irá a la papelera; podrás recuperarla desde allí.</numerusform>
            <numerusform>%Ln fotos (%1) irán a la papelera; podrás recuperarlas desde allí.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to trash</source>
        <translation>
            <numerusform>Mover %Ln foto a la papelera</numerusform>
            <numerusform>Mover %Ln fotos a la papelera</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation>Copiar detalles</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Mostrar detalles</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Ocultar detalles</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. You can keep working; if it happens again, please report it with the details below.</source>
        <translation>Algo salió mal de forma inesperada. Puedes seguir trabajando; si vuelve a ocurrir, infórmanos e incluye los detalles de abajo.</translation>
    </message>
    <message>
        <source>The details were written to %1.</source>
        <translation>Los detalles se guardaron en %1.</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Error inesperado</translation>
    </message>
</context>
<context>
    <name>FailuresDialog</name>
    <message>
        <source>Files that could not be indexed</source>
        <translation>Archivos que no se pudieron indexar</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) could not be indexed. They are skipped until they change; fix or remove them and they are picked up again.</source>
        <translation>
            <numerusform>No se pudo indexar %Ln archivo. Se omitirá hasta que cambie; corrígelo o quítalo y se volverá a procesar.</numerusform>
            <numerusform>No se pudieron indexar %Ln archivos. Se omitirán hasta que cambien; corrígelos o quítalos y se volverán a procesar.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every photo was indexed.</source>
        <translation>Se indexaron todas las fotos.</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Copy list</source>
        <translation>Copiar lista</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All folders</source>
        <translation>Todas las carpetas</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>Any camera</source>
        <translation>Cualquier cámara</translation>
    </message>
    <message>
        <source>Any place</source>
        <translation>Cualquier lugar</translation>
    </message>
    <message>
        <source>Where the photo was taken (from its GPS position)</source>
        <translation>Dónde se tomó la foto (según su posición GPS)</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Quitar filtros</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Welcome to PhotoSearch</source>
        <translation>Te damos la bienvenida a PhotoSearch</translation>
    </message>
    <message>
        <source>Find your photos by describing them, like “%1”, or by dropping in a photo to find ones like it.

Start by adding a folder of photos. PhotoSearch indexes it on this computer: nothing is uploaded, and it works offline.</source>
        <translation>Encuentra tus fotos describiéndolas, como «%1», o arrastra una foto para encontrar otras parecidas.

Empieza añadiendo una carpeta de fotos. PhotoSearch la indexa en este ordenador: no se sube nada y funciona sin conexión.</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>Añadir una carpeta…</translation>
    </message>
</context>
<context>
    <name>FoldersPanel</name>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln indexada</numerusform>
            <numerusform>%Ln indexadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln con error</numerusform>
            <numerusform>%Ln con error</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>sin conexión</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Carpetas</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>Añadir una carpeta…</translation>
    </message>
    <message>
        <source>Remove the selected folder</source>
        <translation>Quitar la carpeta seleccionada</translation>
    </message>
    <message>
        <source>Pause watching the selected folder</source>
        <translation>Dejar de vigilar la carpeta seleccionada por ahora</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Añadir…</translation>
    </message>
    <message>
        <source>Resume watching the selected folder</source>
        <translation>Volver a vigilar la carpeta seleccionada</translation>
    </message>
</context>
<context>
    <name>IndexPanel</name>
    <message>
        <source>Starting to index…</source>
        <translation>Empezando a indexar…</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln con error…</numerusform>
            <numerusform>%Ln con error…</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
</context>
<context>
    <name>IndexPresenter</name>
    <message>
        <source>Indexing cancelled. Photos indexed so far stay searchable.</source>
        <translation>Indexado cancelado. Las fotos indexadas hasta ahora se pueden seguir buscando.</translation>
    </message>
    <message>
        <source>Indexing stopped because of an error.</source>
        <translation>El indexado se detuvo por un error.</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>PhotoSearch cannot start</source>
        <translation>PhotoSearch no puede iniciarse</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Find &amp;duplicates…</source>
        <translation>Buscar &amp;duplicados…</translation>
    </message>
    <message>
        <source>&amp;Library</source>
        <translation>&amp;Biblioteca</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>Mover a la papelera</translation>
    </message>
    <message numerus="yes">
        <source>Move %Ln photo(s) to the trash?

They leave the library at once; you can restore them from the trash (the library picks them up again).</source>
        <translation>
            <numerusform>¿Mover %Ln foto a la papelera?

Saldrá de la biblioteca al momento; puedes recuperarla desde la papelera (la biblioteca la volverá a incluir).</numerusform>
            <numerusform>¿Mover %Ln fotos a la papelera?

Saldrán de la biblioteca al momento; puedes recuperarlas desde la papelera (la biblioteca las volverá a incluir).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %Ln photo(s) to the trash</source>
        <translation>
            <numerusform>Se movió %Ln foto a la papelera</numerusform>
            <numerusform>Se movieron %Ln fotos a la papelera</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) could not be moved to the trash and were left in place.</source>
        <translation>
            <numerusform>No se pudo mover %Ln foto a la papelera; se quedó donde estaba.</numerusform>
            <numerusform>No se pudieron mover %Ln fotos a la papelera; se quedaron donde estaban.</numerusform>
        </translation>
    </message>
    <message>
        <source>Drop an image file or an image from a browser.</source>
        <translation>Arrastra un archivo de imagen o una imagen desde un navegador.</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>Quitar carpeta</translation>
    </message>
    <message>
        <source>Remove %1 from the library?

Its photos leave the search results. The files themselves are not touched.</source>
        <translation>¿Quitar %1 de la biblioteca?

Sus fotos dejarán de aparecer en los resultados. Los archivos no se tocan.</translation>
    </message>
    <message>
        <source>Add a folder of photos</source>
        <translation>Añadir una carpeta de fotos</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>Ajustes guardados</translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation>El nuevo idioma se aplicará la próxima vez que abras PhotoSearch.</translation>
    </message>
    <message>
        <source>Face data deleted; finding faces is off</source>
        <translation>Datos faciales eliminados; la detección de caras está desactivada</translation>
    </message>
    <message>
        <source>Find photos by describing them</source>
        <translation>Encuentra fotos describiéndolas</translation>
    </message>
    <message>
        <source>Type what you are looking for above, like “%1”. Or drop a photo on this window (or paste one with Ctrl+V) to find similar ones.</source>
        <translation>Escribe arriba lo que buscas, como «%1». O arrastra una foto a esta ventana (o pégala con Ctrl+V) para encontrar otras parecidas.</translation>
    </message>
    <message>
        <source>Getting ready…</source>
        <translation>Preparando…</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Sin resultados</translation>
    </message>
    <message>
        <source>Cannot search</source>
        <translation>No se puede buscar</translation>
    </message>
    <message>
        <source>Opening your library…</source>
        <translation>Abriendo tu biblioteca…</translation>
    </message>
    <message>
        <source>PhotoSearch cannot open the library</source>
        <translation>PhotoSearch no puede abrir la biblioteca</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modelo: %1</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>Elige la carpeta que contiene el modelo</translation>
    </message>
</context>
<context>
    <name>ModelActions</name>
    <message>
        <source>On the Crossmodal-3600 benchmark it finds the right photo first for %1 of Chinese queries; the English model for %2.</source>
        <translation>En la prueba Crossmodal-3600 encuentra primero la foto correcta en el %1 de las búsquedas en chino; el modelo inglés, en el %2.</translation>
    </message>
    <message>
        <source>On the Crossmodal-3600 benchmark it finds the right photo first for %1 of queries in 36 languages; the English model for %2.</source>
        <translation>En la prueba Crossmodal-3600 encuentra primero la foto correcta en el %1 de las búsquedas en 36 idiomas; el modelo inglés, en el %2.</translation>
    </message>
    <message>
        <source>Your computer is set to %1. The standard model understands English only; the multilingual model (%2 languages, about %3) lets you search in your language.</source>
        <translation>Tu ordenador está en %1. El modelo estándar solo entiende inglés; el modelo multilingüe (%2 idiomas, unos %3) te permite buscar en tu idioma.</translation>
    </message>
    <message>
        <source>Use the multilingual model</source>
        <translation>Usar el modelo multilingüe</translation>
    </message>
</context>
<context>
    <name>ModelBanner</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop the download; it can start again later</source>
        <translation>Detener la descarga; se puede reanudar más tarde</translation>
    </message>
    <message>
        <source>Choose model folder…</source>
        <translation>Elegir carpeta del modelo…</translation>
    </message>
    <message>
        <source>Use a model already on this computer: a folder with open_clip_config.json and the weights file</source>
        <translation>Usar un modelo que ya está en este ordenador: una carpeta con open_clip_config.json y el archivo de pesos</translation>
    </message>
    <message>
        <source>Use demo model</source>
        <translation>Usar modelo de demostración</translation>
    </message>
    <message>
        <source>Switch to the small model bundled with PhotoSearch (less accurate, works offline)</source>
        <translation>Cambiar al modelo pequeño que incluye PhotoSearch (menos preciso, funciona sin conexión)</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Ajustes…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copiar detalles</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>Descarga cancelada.</translation>
    </message>
    <message>
        <source>Download again</source>
        <translation>Volver a descargar</translation>
    </message>
    <message>
        <source>Search is unavailable.</source>
        <translation>La búsqueda no está disponible.</translation>
    </message>
</context>
<context>
    <name>ModelPresenter</name>
    <message>
        <source>Model not loaded</source>
        <translation>Modelo no cargado</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Cargando el modelo…</translation>
    </message>
    <message>
        <source>Loading the model: %1</source>
        <translation>Cargando el modelo: %1</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Close this notice</source>
        <translation>Cerrar este aviso</translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>Merge selected</source>
        <translation>Unir seleccionadas</translation>
    </message>
    <message>
        <source>The selected people are one person: keep the first</source>
        <translation>Las personas seleccionadas son la misma: se conserva la primera</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <source>Show photos</source>
        <translation>Ver fotos</translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln photo(s) (double-click to rename)</source>
        <translation>
            <numerusform>%1: %Ln foto (doble clic para cambiar el nombre)</numerusform>
            <numerusform>%1: %Ln fotos (doble clic para cambiar el nombre)</numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed</source>
        <translation>Sin nombre</translation>
    </message>
    <message numerus="yes">
        <source>%Ln people. Double-click a name to change it; drag a person onto another (or select two or more and Merge) when they are one person.</source>
        <translation>
            <numerusform>%Ln persona. Haz doble clic en un nombre para cambiarlo; si dos son la misma persona, arrastra una sobre la otra (o selecciona varias y pulsa Unir).</numerusform>
            <numerusform>%Ln personas. Haz doble clic en un nombre para cambiarlo; si dos son la misma persona, arrastra una sobre la otra (o selecciona varias y pulsa Unir).</numerusform>
        </translation>
    </message>
    <message>
        <source>Merge people</source>
        <translation>Unir personas</translation>
    </message>
    <message>
        <source>%1 and %2 will be one person, named %2. A face can be moved out again from the preview (right-click it: Not %2).</source>
        <translation>%1 y %2 serán una sola persona, llamada %2. Una cara puede volver a sacarse desde la vista previa (clic derecho: No es %2).</translation>
    </message>
    <message>
        <source>No people yet: faces are found after indexing (Settings: People).</source>
        <translation>Aún no hay personas: las caras se buscan después de indexar (Ajustes: Personas).</translation>
    </message>
</context>
<context>
    <name>PhotoActions</name>
    <message>
        <source>No application could open %1</source>
        <translation>Ninguna aplicación pudo abrir %1</translation>
    </message>
    <message>
        <source>No video player could open %1</source>
        <translation>Ningún reproductor de vídeo pudo abrir %1</translation>
    </message>
    <message>
        <source>Copied %1</source>
        <translation>Copiado: %1</translation>
    </message>
    <message numerus="yes">
        <source>Copied %Ln path(s)</source>
        <translation>
            <numerusform>Se copió %Ln ruta</numerusform>
            <numerusform>Se copiaron %Ln rutas</numerusform>
        </translation>
    </message>
    <message>
        <source>Copied the image %1</source>
        <translation>Se copió la imagen %1</translation>
    </message>
    <message>
        <source>Copying %1…</source>
        <translation>Copiando %1…</translation>
    </message>
</context>
<context>
    <name>PreviewImage</name>
    <message>
        <source>Not %1</source>
        <translation>No es %1</translation>
    </message>
    <message>
        <source>Move this face out of %1; it will never be put back</source>
        <translation>Saca esta cara de %1; nunca se volverá a poner ahí</translation>
    </message>
    <message>
        <source>Not this person</source>
        <translation>No es esta persona</translation>
    </message>
    <message>
        <source>Move this face out of its person; it will never be put back</source>
        <translation>Saca esta cara de su persona; nunca se volverá a poner ahí</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Unnamed person (name them in People)</source>
        <translation>Persona sin nombre (ponle nombre en Personas)</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>Ruta:</translation>
    </message>
    <message>
        <source>Taken:</source>
        <translation>Tomada:</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>Cámara:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Tamaño:</translation>
    </message>
    <message>
        <source>Dimensions:</source>
        <translation>Dimensiones:</translation>
    </message>
    <message>
        <source>Score:</source>
        <translation>Puntuación:</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Copiar ruta</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>Copiar imagen</translation>
    </message>
    <message>
        <source>Find similar</source>
        <translation>Buscar parecidas</translation>
    </message>
    <message>
        <source>Drag the photo out to another app</source>
        <translation>Arrastra la foto a otra aplicación</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>Mostrar en el gestor de archivos</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Reproducir</translation>
    </message>
    <message>
        <source>Text in the photo</source>
        <translation>Texto de la foto</translation>
    </message>
    <message>
        <source>What the photo says, read by text recognition</source>
        <translation>Lo que dice la foto, leído con reconocimiento de texto</translation>
    </message>
    <message>
        <source>Select a photo to preview it</source>
        <translation>Selecciona una foto para verla</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>matcher %1% sure it fits the query</source>
        <translation>el comparador está seguro al %1 % de que coincide con la búsqueda</translation>
    </message>
    <message>
        <source>Play from %1</source>
        <translation>Reproducir desde %1</translation>
    </message>
    <message>
        <source>Play motion</source>
        <translation>Reproducir el movimiento</translation>
    </message>
    <message>
        <source>Opens a video player at this moment (mpv, VLC, IINA...; else the system&apos;s player from the start)</source>
        <translation>Abre un reproductor de vídeo en este momento (mpv, VLC, IINA...; si no, el reproductor del sistema desde el principio)</translation>
    </message>
    <message>
        <source>Cannot show this photo:</source>
        <translation>No se puede mostrar esta foto:</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>Score: %1</source>
        <translation>Puntuación: %1</translation>
    </message>
    <message>
        <source>Found by the text in the photo</source>
        <translation>Encontrada por el texto de la foto</translation>
    </message>
    <message>
        <source>Taken: %1</source>
        <translation>Tomada: %1</translation>
    </message>
    <message>
        <source>Camera: %1</source>
        <translation>Cámara: %1</translation>
    </message>
    <message>
        <source>Video, %1 long; best moment at %2</source>
        <translation>Vídeo de %1; mejor momento en %2</translation>
    </message>
    <message>
        <source>Offline: the drive holding this photo is not connected</source>
        <translation>Sin conexión: el disco que contiene esta foto no está conectado</translation>
    </message>
    <message>
        <source>No thumbnail: %1</source>
        <translation>Sin miniatura: %1</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Find similar</source>
        <translation>Buscar parecidas</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>Mostrar en el gestor de archivos</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Copiar ruta</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>Copiar imagen</translation>
    </message>
</context>
<context>
    <name>SearchBar</name>
    <message>
        <source>Describe a photo, e.g. “%1”, or drop a photo here</source>
        <translation>Describe una foto, p. ej. «%1», o arrastra una foto aquí</translation>
    </message>
    <message>
        <source>Best match first</source>
        <translation>Más relevantes primero</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Más recientes primero</translation>
    </message>
    <message>
        <source>Sort results by relevance or by the date taken</source>
        <translation>Ordenar los resultados por relevancia o por fecha de captura</translation>
    </message>
    <message>
        <source>Best matches only</source>
        <translation>Solo las mejores coincidencias</translation>
    </message>
    <message>
        <source>Hide the long tail of weak matches. The cut-off adapts to each query&apos;s scores.</source>
        <translation>Oculta la larga cola de coincidencias débiles. El corte se adapta a las puntuaciones de cada búsqueda.</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtros</translation>
    </message>
    <message>
        <source>Filter by folder, date and camera</source>
        <translation>Filtrar por carpeta, fecha y cámara</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>The people found in your photos (Ctrl+Shift+P)</source>
        <translation>Las personas que aparecen en tus fotos (Ctrl+Mayús+P)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
</context>
<context>
    <name>SearchPresenter</name>
    <message>
        <source>downloading the reranking model: %1…</source>
        <translation>descargando el modelo de reordenación: %1…</translation>
    </message>
    <message>
        <source>preparing the reranking model for this computer (once, a few minutes)…</source>
        <translation>preparando el modelo de reordenación para este ordenador (una sola vez, unos minutos)…</translation>
    </message>
    <message>
        <source>Loading the model… your search runs as soon as it is ready.</source>
        <translation>Cargando el modelo… tu búsqueda se hará en cuanto esté listo.</translation>
    </message>
    <message>
        <source>%1 like %2</source>
        <comment>12 photos and 3 videos like IMG_1.jpg</comment>
        <translation>%1 parecidos a %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) like %1</source>
        <translation>
            <numerusform>%Ln foto parecida a %1</numerusform>
            <numerusform>%Ln fotos parecidas a %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 for “%2”</source>
        <comment>12 photos and 3 videos for “beach”</comment>
        <translation>%1 para «%2»</translation>
    </message>
    <message numerus="yes">
        <source>%Ln photo(s) for “%1”</source>
        <translation>
            <numerusform>%Ln foto para «%1»</numerusform>
            <numerusform>%Ln fotos para «%1»</numerusform>
        </translation>
    </message>
    <message>
        <source>refining the order…</source>
        <translation>afinando el orden…</translation>
    </message>
    <message>
        <source>loading the reranking model…</source>
        <translation>cargando el modelo de reordenación…</translation>
    </message>
    <message>
        <source>refined in %1</source>
        <translation>afinado en %1</translation>
    </message>
    <message>
        <source>not refined: the reranking model is unavailable</source>
        <translation>sin afinar: el modelo de reordenación no está disponible</translation>
    </message>
    <message>
        <source>not refined (the reranking failed)</source>
        <translation>sin afinar (falló la reordenación)</translation>
    </message>
    <message>
        <source>No photos match.</source>
        <translation>Ninguna foto coincide.</translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only” or clear the filters.</source>
        <translation>Prueba a desactivar «Solo las mejores coincidencias» o a quitar los filtros.</translation>
    </message>
    <message>
        <source>Try to turn off “Best matches only”.</source>
        <translation>Prueba a desactivar «Solo las mejores coincidencias».</translation>
    </message>
    <message>
        <source>Try to clear the filters.</source>
        <translation>Prueba a quitar los filtros.</translation>
    </message>
    <message>
        <source>The search failed.</source>
        <translation>La búsqueda falló.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>the tiny model bundled with PhotoSearch (14 MB, for trying it out)</source>
        <translation>el modelo diminuto que incluye PhotoSearch (14 MB, para probarlo)</translation>
    </message>
    <message>
        <source>a good general model (about 600 MB, downloaded once on first use)</source>
        <translation>un buen modelo general (unos 600 MB, se descarga una vez al usarlo por primera vez)</translation>
    </message>
    <message>
        <source>%1 languages</source>
        <translation>%1 idiomas</translation>
    </message>
    <message>
        <source>a multilingual model (%1, about %2, downloaded once)</source>
        <translation>un modelo multilingüe (%1, unos %2, se descarga una vez)</translation>
    </message>
    <message>
        <source>; finds the right photo first for %1 of Chinese and %2 of English queries (Crossmodal-3600)</source>
        <translation>; encuentra primero la foto correcta en el %1 de las búsquedas en chino y el %2 de las búsquedas en inglés (Crossmodal-3600)</translation>
    </message>
    <message>
        <source>Automatic (recommended)</source>
        <translation>Automático (recomendado)</translation>
    </message>
    <message>
        <source>ONNX Runtime on the CPU, PyTorch on a GPU</source>
        <translation>ONNX Runtime en la CPU, PyTorch en una GPU</translation>
    </message>
    <message>
        <source>Always ONNX Runtime, on the CPU: searches start fastest; each model is converted once, on first use, and checked against the original</source>
        <translation>Siempre ONNX Runtime, en la CPU: las búsquedas empiezan lo más rápido posible; cada modelo se convierte una vez, la primera vez que se usa, y se comprueba frente al original</translation>
    </message>
    <message>
        <source>Always PyTorch (open_clip), the original model: on a GPU, or on the CPU as the reference; slower to start</source>
        <translation>Siempre PyTorch (open_clip), el modelo original: en una GPU, o en la CPU como referencia; tarda más en arrancar</translation>
    </message>
    <message>
        <source>PyTorch is not part of this edition of PhotoSearch: the lean edition runs models on ONNX Runtime only.</source>
        <translation>PyTorch no forma parte de esta edición de PhotoSearch: la edición ligera ejecuta los modelos solo con ONNX Runtime.</translation>
    </message>
    <message>
        <source>Deletes every face, person, name and correction from this library and switches finding faces off. Names are not kept; this cannot be undone.</source>
        <translation>Elimina todas las caras, personas, nombres y correcciones de esta biblioteca y desactiva la detección de caras. Los nombres no se conservan; no se puede deshacer.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>An open_clip ARCH/PRETRAINED pair, hf-hub:ORG/REPO, local-dir:/path/to/folder, or “demo”</source>
        <translation>Un par ARCH/PRETRAINED de open_clip, hf-hub:ORG/REPO, local-dir:/ruta/a/carpeta o «demo»</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Use a model folder on this computer (open_clip_config.json and the weights file)</source>
        <translation>Usar una carpeta de modelo de este ordenador (open_clip_config.json y el archivo de pesos)</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
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
        <translation>Reordenar los mejores resultados con un segundo modelo más preciso</translation>
    </message>
    <message>
        <source>Automatic: the demo matcher with the demo model, else Salesforce/blip-itm-base-coco</source>
        <translation>Automático: el comparador de demostración con el modelo de demostración; si no, Salesforce/blip-itm-base-coco</translation>
    </message>
    <message>
        <source>A BLIP image-text matching model: a Hugging Face repo (downloaded once, about 900 MB for blip-itm-base-coco), local-dir:/path/to/folder, or “demo”</source>
        <translation>Un modelo BLIP de correspondencia imagen-texto: un repositorio de Hugging Face (se descarga una vez; unos 900 MB para blip-itm-base-coco), local-dir:/ruta/a/carpeta o «demo»</translation>
    </message>
    <message>
        <source>Automatic (10 on a CPU, 50 on a GPU)</source>
        <translation>Automático (10 en CPU, 50 en GPU)</translation>
    </message>
    <message>
        <source> photos</source>
        <translation> fotos</translation>
    </message>
    <message>
        <source>How many of the best results the second model reorders: more is slower</source>
        <translation>Cuántos de los mejores resultados reordena el segundo modelo: más es más lento</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <source>After indexing, the reranking model reads this many of your most recent photos in the background, so that reranking them is quick (about 1 MB of disk each with the default model)</source>
        <translation>Después de indexar, el modelo de reordenación lee en segundo plano este número de sus fotos más recientes, para que reordenarlas sea rápido (alrededor de 1 MB de disco cada una con el modelo predeterminado)</translation>
    </message>
    <message>
        <source>One pattern per line, e.g.
*/.thumbnails/*
*.psd</source>
        <translation>Un patrón por línea, p. ej.
*/.thumbnails/*
*.psd</translation>
    </message>
    <message>
        <source>https://huggingface.co (or a mirror, e.g. https://hf-mirror.com)</source>
        <translation>https://huggingface.co (o un espejo, p. ej. https://hf-mirror.com)</translation>
    </message>
    <message>
        <source>Where models are downloaded from. If huggingface.co is blocked where you are, enter a mirror such as https://hf-mirror.com</source>
        <translation>De dónde se descargan los modelos. Si huggingface.co está bloqueado donde estás, escribe un espejo como https://hf-mirror.com</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modelo:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Estado:</translation>
    </message>
    <message>
        <source>Model server:</source>
        <translation>Servidor de modelos:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Dispositivo:</translation>
    </message>
    <message>
        <source>Runtime:</source>
        <translation>Motor de ejecución:</translation>
    </message>
    <message>
        <source>Reranking:</source>
        <translation>Reordenación:</translation>
    </message>
    <message>
        <source>Reranking model:</source>
        <translation>Modelo de reordenación:</translation>
    </message>
    <message>
        <source>Reorder the top:</source>
        <translation>Reordenar los primeros:</translation>
    </message>
    <message>
        <source>Prepare the most recent:</source>
        <translation>Preparar las más recientes:</translation>
    </message>
    <message>
        <source>Thumbnail cache:</source>
        <translation>Caché de miniaturas:</translation>
    </message>
    <message>
        <source>Exclude:</source>
        <translation>Excluir:</translation>
    </message>
    <message>
        <source>Find faces and group them into people</source>
        <translation>Detectar caras y agruparlas por personas</translation>
    </message>
    <message>
        <source>Faces are found on this computer only, after indexing</source>
        <translation>Las caras se detectan solo en este ordenador, después de indexar</translation>
    </message>
    <message>
        <source>Delete face data…</source>
        <translation>Eliminar datos faciales…</translation>
    </message>
    <message>
        <source>People:</source>
        <translation>Personas:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>The language of PhotoSearch&apos;s window; it changes when PhotoSearch starts again</source>
        <translation>El idioma de la ventana de PhotoSearch; cambia la próxima vez que abras PhotoSearch</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <source>What runs the model. Both give the same results within a cosine of 0.999, so switching needs no re-indexing.</source>
        <translation>Lo que ejecuta el modelo. Ambos dan los mismos resultados con un coseno de al menos 0,999, así que cambiar no obliga a volver a indexar.</translation>
    </message>
    <message>
        <source>Runs on: …</source>
        <translation>Se ejecuta con: …</translation>
    </message>
    <message>
        <source>For each part of the model converted to ONNX: its precision and the lowest cosine similarity of its output to the original (1 = identical)</source>
        <translation>Para cada parte del modelo convertida a ONNX: su precisión y la menor similitud coseno entre su salida y la del original (1 = idénticas)</translation>
    </message>
    <message>
        <source>Runs on: %1</source>
        <translation>Se ejecuta con: %1</translation>
    </message>
    <message>
        <source>This session uses “%1” (given with PHOTOSEARCH_RUNTIME); this setting applies when PhotoSearch starts without it.</source>
        <translation>Esta sesión usa «%1» (indicado con PHOTOSEARCH_RUNTIME); este ajuste se aplica cuando PhotoSearch se inicia sin él.</translation>
    </message>
    <message>
        <source>The model loads again on the new runtime when you press OK.</source>
        <translation>Al pulsar Aceptar, el modelo se vuelve a cargar con el nuevo motor de ejecución.</translation>
    </message>
    <message>
        <source>Choose the folder that holds the model</source>
        <translation>Elige la carpeta que contiene el modelo</translation>
    </message>
    <message>
        <source>“%1” is %2.</source>
        <translation>«%1» es %2.</translation>
    </message>
    <message>
        <source>Named models are downloaded once into the Hugging Face cache; a local folder or .safetensors file is used as it is.</source>
        <translation>Los modelos con nombre se descargan una vez en la caché de Hugging Face; una carpeta local o un archivo .safetensors se usa tal cual.</translation>
    </message>
    <message>
        <source> This session uses “%1” (given with --model or PHOTOSEARCH_MODEL); this setting applies when PhotoSearch starts without it.</source>
        <translation> Esta sesión usa «%1» (indicado con --model o PHOTOSEARCH_MODEL); este ajuste se aplica cuando PhotoSearch se inicia sin él.</translation>
    </message>
    <message>
        <source> The new model loads when you press OK; your photos are then re-indexed.</source>
        <translation> El nuevo modelo se carga al pulsar Aceptar; después se vuelven a indexar tus fotos.</translation>
    </message>
    <message>
        <source>Delete face data</source>
        <translation>Eliminar datos faciales</translation>
    </message>
    <message>
        <source>Delete it now?</source>
        <translation>¿Eliminarlos ahora?</translation>
    </message>
    <message>
        <source>The new language applies when PhotoSearch starts again.</source>
        <translation>El nuevo idioma se aplicará la próxima vez que abras PhotoSearch.</translation>
    </message>
</context>
<context>
    <name>SimilarBar</name>
    <message>
        <source>Back to text search (Esc)</source>
        <translation>Volver a la búsqueda por texto (Esc)</translation>
    </message>
    <message>
        <source>Photos similar to %1</source>
        <translation>Fotos parecidas a %1</translation>
    </message>
    <message>
        <source>Looks like: %1</source>
        <translation>Parece: %1</translation>
    </message>
    <message>
        <source>The captions that describe this image best, from your photos&apos; captions, yours and the bundled vocabulary</source>
        <translation>Los pies de foto que mejor describen esta imagen, tomados de los pies de tus fotos, los tuyos y el vocabulario incluido</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Model: loading…</source>
        <translation>Modelo: cargando…</translation>
    </message>
    <message>
        <source>Model: downloading…</source>
        <translation>Modelo: descargando…</translation>
    </message>
    <message>
        <source>Model: download cancelled</source>
        <translation>Modelo: descarga cancelada</translation>
    </message>
    <message>
        <source>Model: not loaded</source>
        <translation>Modelo: no cargado</translation>
    </message>
    <message>
        <source>Model: unavailable</source>
        <translation>Modelo: no disponible</translation>
    </message>
    <message>
        <source>Show the files that could not be indexed</source>
        <translation>Mostrar los archivos que no se pudieron indexar</translation>
    </message>
    <message numerus="yes">
        <source>%Ln indexed</source>
        <translation>
            <numerusform>%Ln indexada</numerusform>
            <numerusform>%Ln indexadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln waiting</source>
        <translation>
            <numerusform>%Ln en espera</numerusform>
            <numerusform>%Ln en espera</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln offline</source>
        <translation>
            <numerusform>%Ln sin conexión</numerusform>
            <numerusform>%Ln sin conexión</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed…</source>
        <translation>
            <numerusform>%Ln con error…</numerusform>
            <numerusform>%Ln con error…</numerusform>
        </translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modelo: %1</translation>
    </message>
</context>
<context>
    <name>UnderstoodChips</name>
    <message>
        <source>place %1</source>
        <translation>lugar %1</translation>
    </message>
    <message>
        <source>person %1</source>
        <translation>persona %1</translation>
    </message>
    <message>
        <source>Understood:</source>
        <translation>Entendido:</translation>
    </message>
    <message>
        <source>Remove: search these words as words</source>
        <translation>Quitar: buscar estas palabras como palabras</translation>
    </message>
</context>
<context>
    <name>WatchPresenter</name>
    <message>
        <source>Indexed</source>
        <translation>Indexada</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>Movida</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Quitada</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Con error</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Conectada</translation>
    </message>
    <message>
        <source>Not watching folders: %1</source>
        <translation>No se vigilan las carpetas: %1</translation>
    </message>
    <message>
        <source>Watching: %1</source>
        <translation>Vigilancia: %1</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message numerus="yes">
        <source>%Ln photo(s)</source>
        <translation>
            <numerusform>%Ln foto</numerusform>
            <numerusform>%Ln fotos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln video(s)</source>
        <translation>
            <numerusform>%Ln vídeo</numerusform>
            <numerusform>%Ln vídeos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <comment>120 photos and 3 videos</comment>
        <translation>%1 y %2</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln archivo</numerusform>
            <numerusform>%Ln archivos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln byte</numerusform>
            <numerusform>%Ln bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown date</source>
        <translation>Fecha desconocida</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Scanning folders</source>
        <translation>Examinando carpetas</translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation>Indexando</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>Guardando</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>meaning</source>
        <translation>significado</translation>
    </message>
    <message>
        <source>faces</source>
        <translation>caras</translation>
    </message>
    <message>
        <source>metadata and captions</source>
        <translation>metadatos y pies de foto</translation>
    </message>
    <message>
        <source>similar photos</source>
        <translation>fotos parecidas</translation>
    </message>
    <message>
        <source>duplicate detection</source>
        <translation>detección de duplicados</translation>
    </message>
    <message>
        <source>places</source>
        <translation>lugares</translation>
    </message>
    <message>
        <source>text in photos</source>
        <translation>texto en las fotos</translation>
    </message>
    <message>
        <source>reranking features</source>
        <translation>datos de reordenación</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2 of %Ln photo(s)</source>
        <translation>
            <numerusform>%1: %2 de %Ln foto</numerusform>
            <numerusform>%1: %2 de %Ln fotos</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 photos/s</source>
        <translation>%1 fotos/s</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>casi listo</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>quedan unos %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reused</source>
        <translation>
            <numerusform>%Ln reutilizada</numerusform>
            <numerusform>%Ln reutilizadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln con error</numerusform>
            <numerusform>%Ln con error</numerusform>
        </translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled after %Ln photo(s).</source>
        <translation>
            <numerusform>Indexado cancelado tras %Ln foto.</numerusform>
            <numerusform>Indexado cancelado tras %Ln fotos.</numerusform>
        </translation>
    </message>
    <message>
        <source>The library is up to date.</source>
        <translation>La biblioteca está al día.</translation>
    </message>
    <message numerus="yes">
        <source>Indexed %Ln photo(s)</source>
        <translation>
            <numerusform>%Ln foto indexada</numerusform>
            <numerusform>%Ln fotos indexadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln removed</source>
        <translation>
            <numerusform>%Ln quitada</numerusform>
            <numerusform>%Ln quitadas</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 in %2.</source>
        <translation>%1 en %2.</translation>
    </message>
    <message>
        <source>, </source>
        <comment>list separator</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>image</source>
        <translation>imagen</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texto</translation>
    </message>
    <message>
        <source>%1 (not available in this edition)</source>
        <translation>%1 (no disponible en esta edición)</translation>
    </message>
    <message>
        <source>(min. cosine %1)</source>
        <translation>(coseno mín. %1)</translation>
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
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>Downloading %1 — %2</source>
        <translation>Descargando %1 — %2</translation>
    </message>
    <message>
        <source>Download cancelled. Searching needs the model “%1”: download it again, choose a folder that holds the model, or use the small demo model.</source>
        <translation>Descarga cancelada. Para buscar hace falta el modelo «%1»: vuelve a descargarlo, elige una carpeta que lo contenga o usa el pequeño modelo de demostración.</translation>
    </message>
    <message>
        <source>%1 (about %2)</source>
        <translation>%1 (unos %2)</translation>
    </message>
    <message>
        <source>If %1 is blocked where you are, enter a mirror such as https://hf-mirror.com as Model server in Settings….</source>
        <translation>Si %1 está bloqueado donde estás, escribe un espejo como https://hf-mirror.com en Servidor de modelos, en Ajustes….</translation>
    </message>
    <message>
        <source>PhotoSearch can&apos;t reach %2 to download the model %1. Connect to the internet and try again, choose a folder that holds the model, or use the small demo model.</source>
        <translation>PhotoSearch no puede conectar con %2 para descargar el modelo %1. Conéctate a internet y vuelve a intentarlo, elige una carpeta que contenga el modelo o usa el pequeño modelo de demostración.</translation>
    </message>
    <message>
        <source>PhotoSearch couldn&apos;t download the model %1 from %2. Try again later, choose a folder that holds the model, or use the small demo model. Copy details tells what went wrong.</source>
        <translation>PhotoSearch no pudo descargar el modelo %1 de %2. Vuelve a intentarlo más tarde, elige una carpeta que contenga el modelo o usa el pequeño modelo de demostración. Copiar detalles explica qué falló.</translation>
    </message>
    <message>
        <source>There is no model called “%1”. Pick another one in Settings…, choose a folder that holds the model, or use the small demo model.</source>
        <translation>No existe ningún modelo llamado «%1». Elige otro en Ajustes…, elige una carpeta que contenga el modelo o usa el pequeño modelo de demostración.</translation>
    </message>
    <message>
        <source>The graphics processor (GPU) chosen in Settings isn&apos;t available to PyTorch on this computer. Open Settings… and set Device to Automatic or CPU.</source>
        <translation>La tarjeta gráfica (GPU) elegida en Ajustes no está disponible para PyTorch en este ordenador. Abre Ajustes… y pon Dispositivo en Automático o CPU.</translation>
    </message>
    <message>
        <source>%1 Or use the small demo model.</source>
        <translation>%1 O usa el pequeño modelo de demostración.</translation>
    </message>
    <message>
        <source>The model could not be loaded (%1).</source>
        <translation>No se pudo cargar el modelo (%1).</translation>
    </message>
</context>
</TS>
