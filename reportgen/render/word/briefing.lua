-- The Markdown briefing made into a Word document by Pandoc (see reportgen.render.word).
--
-- Raw HTML in that Markdown comes only from reportgen's templates: curators' text is escaped
-- before it is written, so none of it can reach here as raw HTML. Two of its marks mean
-- something in Word:
--   <a id="x"></a>         an anchor: a bookmark, so the briefing's internal links lead there;
--   <!-- contents --> ...  the contents list: Word's contents field, the list its text until
--   <!-- /contents -->     the reader updates the field (then with page numbers).
-- Any other raw HTML is dropped, as Pandoc's Word writer does.
--
-- Tables take the page's width, each column a share of it after what it holds: room for its
-- longest word and the cell's margins at least, else its cells' average length up to
-- MAX_SHARE characters (a Markdown table says nothing of widths, and Word would otherwise give
-- every column the same, breaking "No." and dates inside a word).

local TOC_BEGIN = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
  .. '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
  .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>'
local TOC_END = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'

local MAX_SHARE = 22
local MARGINS = 8

local function cells(tbl)
  local rows = {}
  for _, row in ipairs(tbl.head.rows) do table.insert(rows, row) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do table.insert(rows, row) end
  end
  return rows
end

local function weights(tbl)
  local n = #tbl.colspecs
  local word, total, count = {}, {}, {}
  for i = 1, n do word[i], total[i], count[i] = 1, 0, 0 end
  for _, row in ipairs(cells(tbl)) do
    for i, cell in ipairs(row.cells) do
      if i <= n then
        local text = pandoc.utils.stringify(cell.contents)
        total[i] = total[i] + utf8.len(text)
        count[i] = count[i] + 1
        for w in text:gmatch("%S+") do word[i] = math.max(word[i], utf8.len(w) or 1) end
      end
    end
  end
  local shares, sum = {}, 0
  for i = 1, n do
    local average = count[i] > 0 and total[i] / count[i] or 1
    shares[i] = math.max(word[i] * 1.5 + MARGINS, math.min(average, MAX_SHARE))
    sum = sum + shares[i]
  end
  for i = 1, n do shares[i] = shares[i] / sum end
  return shares
end

function Table(tbl)
  local shares = weights(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = {spec[1], shares[i]}
  end
  return tbl
end

-- A picture comes inside the text as a data: URI; put in the document's media under a short
-- name, since Pandoc also writes its address into the picture's properties (a second copy).
local pictures = 0

function Image(img)
  if img.src:sub(1, 5) ~= "data:" then
    return nil
  end
  local mime, contents = pandoc.mediabag.fetch(img.src)
  pictures = pictures + 1
  local name = string.format("figure-%d.%s", pictures, mime == "image/png" and "png" or "svg")
  pandoc.mediabag.insert(name, mime, contents)
  img.src = name
  return img
end

function RawInline(el)
  if el.format ~= "html" then
    return nil
  end
  local id = el.text:match('^<a id="([%w%-_.:]+)">$')
  if id then
    return pandoc.Span({}, pandoc.Attr(id))
  end
  return {}
end

function RawBlock(el)
  if el.format ~= "html" then
    return nil
  end
  local text = (el.text:gsub("%s+$", ""))
  if text == "<!-- contents -->" then
    return pandoc.RawBlock("openxml", TOC_BEGIN)
  end
  if text == "<!-- /contents -->" then
    return pandoc.RawBlock("openxml", TOC_END)
  end
  return {}
end
