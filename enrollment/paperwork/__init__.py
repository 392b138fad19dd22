"""The papers a centre writes around a class, made from the class's own data:
the plan or the decision to open it (with the timetable annexed), the
summons to each sending unit, the decision recognising the results (with the
list annexed) and the notice of results to each unit. Each is numbered and
frozen in the centre's register of outgoing documents
(trainingcenter/documents.py).

wording.py  the kinds, their named fields and default texts, safe filling
content.py  what each paper prints, from the class
output.py   the PDF and the Word file of a paper, from one HTML layout
issuing.py  the state of a class's papers, issuing, new versions, files
"""
