"""gongkai (公开): a static site generator for 政府信息公开工作年度报告 portals."""

__version__ = "0.1.0"
