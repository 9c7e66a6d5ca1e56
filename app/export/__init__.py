"""Export all my data: every table as CSV and as one Excel workbook, plus attachments."""
