"""Routes of the counting desk (views_desk), the board and report (views_board), and printing and
scanning (views_scan)."""

from django.urls import path

from xuanju.counting import views_adjudicate, views_board, views_desk, views_sampling, views_scan

urlpatterns = [
    path("rounds/<int:pk>/counting/", views_desk.counting_overview, name="counting_overview"),
    path("rounds/<int:pk>/counting/sheets/", views_desk.sheet_notes, name="sheet_notes"),
    path("rounds/<int:pk>/counting/sheet-counts/", views_desk.sheet_counts, name="sheet_counts"),
    path("rounds/<int:pk>/counting/desk/<int:slot>/", views_desk.counting_desk, name="counting_desk"),
    path("rounds/<int:pk>/counting/conflicts/<str:key>/", views_desk.desk_conflict, name="desk_conflict"),
    path("desk-entries/<int:pk>/withdraw/", views_desk.desk_withdraw, name="desk_withdraw"),
    path("rounds/<int:pk>/board/", views_board.count_board, name="count_board"),
    path("rounds/<int:pk>/board/data/", views_board.count_board_data, name="count_board_data"),
    path("rounds/<int:pk>/report/", views_board.count_report, name="count_report"),
    path("rounds/<int:pk>/print/", views_scan.print_ballots, name="print_ballots"),
    path("rounds/<int:pk>/scans/", views_scan.scan_round, name="scan_round"),
    path("rounds/<int:pk>/sampling-audit/", views_sampling.sampling_audit, name="sampling_audit"),
    path("rounds/<int:pk>/scans/doubts/", views_adjudicate.flagged_sheets, name="doubt_queue"),
    path("rounds/<int:pk>/scans/test-deck/", views_adjudicate.test_deck, name="test_deck"),
    path("rounds/<int:pk>/scans/test-deck/print/", views_adjudicate.print_test_deck, name="print_test_deck"),
    path("rounds/<int:pk>/scans/progress/", views_scan.scan_progress, name="scan_progress"),
    path("scan-pages/<int:pk>/", views_scan.scan_page, name="scan_page"),
    path("scan-pages/<int:pk>/image/", views_scan.scan_page_image, name="scan_page_image"),
    path("scan-pages/<int:pk>/rescan/", views_scan.scan_page_rescan, name="scan_page_rescan"),
    path("scan-pages/<int:pk>/void/", views_scan.scan_page_void, name="scan_page_void"),
    path("scan-pages/<int:pk>/review/", views_adjudicate.sheet_review, name="scan_sheet_review"),
    path("scan-pages/<int:pk>/overlay.png", views_adjudicate.sheet_overlay, name="scan_sheet_overlay"),
    path("doubts/<int:pk>/cutout/", views_scan.doubt_cutout, name="doubt_cutout"),
]
