# One image for every konveyer role (api, robots, ocr, scheduler): the command picks the role.
# Built on Playwright's image so robots get the Chromium that Playwright 1.65.1 supports.
FROM mcr.microsoft.com/playwright:v1.65.1-noble

# Russian + English OCR data at the path config's TESSDATA_DIR defaults to; fonts for screenshots.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      tesseract-ocr-rus tesseract-ocr-eng fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# CHROMIUM_PATH empty = Playwright's own browser from this image, not /usr/bin/chromium.
# Crawlee keeps its queues in memory: the farm's state lives in Redis and MongoDB.
ENV NODE_ENV=production \
    CHROMIUM_PATH= \
    TESSDATA_DIR=/usr/share/tesseract-ocr/5/tessdata \
    CRAWLEE_PERSIST_STORAGE=false

# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY . .
# The run directory is the only place the app writes inside the image.
RUN mkdir -p /app/.run && chown pwuser:pwuser /app/.run
USER pwuser

ENTRYPOINT ["npx", "konveyer"]
CMD ["--help"]
