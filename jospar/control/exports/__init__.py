"""The consolidated report on a plan's execution ("Информация о ходе исполнения Плана
мероприятий" / "Іс-шаралар жоспарының орындалу барысы туралы ақпарат") and its three files.

The data is read once (:func:`jospar.control.exports.data.consolidated_report`, a fixed number of
queries) into plain objects; the writers (DOCX, XLSX, PDF) only lay them out and never query.
"""
